import { and, asc, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { initialTransition, transition } from 'xstate';
import type { Db, Tx } from '../../db/create-database.js';
import { decryptField, encryptField } from '../../db/encrypt-field.js';
import { contacts, conversations, events } from '../../db/schema.js';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import {
  commandsOf,
  conversationMachine,
  MACHINE_VERSION,
  migrateSnapshot,
  restartNotice,
} from '../../flows/conversation/index.js';
import { executeCommands } from './execute-commands.js';

export interface EngineDeps {
  db: Db;
  logger: Logger;
  serviceFeeCents: number;
  publicBaseUrl: string;
  /** Current key first; older ones still decrypt snapshots written before a rotation. */
  encryptionKeys: Buffer[];
  payTokenTtlMs: number;
}

type MachineSnapshot = ReturnType<typeof initialTransition<typeof conversationMachine>>[0];

/** The persisted snapshot holds personal data (email, FAS details): it is stored encrypted. */
function sealSnapshot(key: Buffer, snapshot: MachineSnapshot): { sealed: string } {
  return { sealed: encryptField(JSON.stringify(conversationMachine.getPersistedSnapshot(snapshot)), key) };
}

function restore(
  deps: EngineDeps,
  stored: unknown,
  version: number,
  phone: string,
): { snapshot: MachineSnapshot; restarted: boolean } {
  const fresh = () =>
    initialTransition(conversationMachine, { phone, serviceFeeCents: deps.serviceFeeCents })[0];
  if (!stored) return { snapshot: fresh(), restarted: false };
  const persisted = JSON.parse(decryptField((stored as { sealed: string }).sealed, deps.encryptionKeys));
  const migrated = migrateSnapshot(persisted, version);
  if (!migrated) return { snapshot: fresh(), restarted: true };
  return { snapshot: conversationMachine.resolveState(migrated as never), restarted: false };
}

/** Applies the oldest pending event; answers whether one was applied and whether more are waiting. */
async function applyOne(
  deps: EngineDeps,
  tx: Tx,
  conversationId: string,
): Promise<{ applied: boolean; more: boolean }> {
  // The row lock serialises every change to this conversation, across replicas.
  const [locked] = await tx
    .select({ conversation: conversations, contact: contacts })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.id, conversationId))
    .for('update', { of: conversations });
  if (!locked) return { applied: false, more: false };
  const { conversation, contact } = locked;
  const [event, following] = await tx
    .select()
    .from(events)
    .where(and(eq(events.conversationId, conversationId), eq(events.status, 'pending')))
    .orderBy(asc(events.id))
    .limit(2);
  if (!event) return { applied: false, more: false };

  const machineEvent = event.payload as unknown as ConversationEvent;
  const muted = conversation.owner === 'agent' && machineEvent.type.startsWith('user.');
  if (!muted) {
    const restored = restore(deps, conversation.snapshot, conversation.machineVersion, contact.phone);
    let snapshot = restored.snapshot;
    const ctx = {
      tx,
      conversationId,
      contactId: contact.id,
      phone: contact.phone,
      userName: contact.name ?? 'there',
      at: machineEvent.at,
      encryptionKey: deps.encryptionKeys[0] as Buffer,
      publicBaseUrl: deps.publicBaseUrl,
      payTokenTtlMs: deps.payTokenTtlMs,
    };
    if (restored.restarted) {
      await executeCommands(ctx, [{ type: 'reply', message: restartNotice }]);
    }
    let pending: ConversationEvent[] = [machineEvent];
    while (pending.length > 0) {
      const next = pending.shift() as ConversationEvent;
      const [after, actions] = transition(conversationMachine, snapshot, next);
      snapshot = after;
      pending = pending.concat(await executeCommands({ ...ctx, at: next.at }, commandsOf(actions)));
    }
    if (machineEvent.type === 'typebot.intake' && machineEvent.consent) {
      await tx.update(contacts).set({ name: machineEvent.name }).where(eq(contacts.id, contact.id));
    }
    const sealed = sealSnapshot(deps.encryptionKeys[0] as Buffer, snapshot);
    // Snapshot and "processed" in one round trip: this runs once per message.
    await tx.execute(sql`with saved as (
        update conversations set snapshot = ${JSON.stringify(sealed)}::jsonb, machine_version = ${MACHINE_VERSION},
          updated_at = now() where id = ${conversationId})
      update events set status = 'processed', processed_at = clock_timestamp() where id = ${event.id}`);
  } else {
    await tx
      .update(events)
      .set({ status: 'processed', processedAt: new Date() })
      .where(eq(events.id, event.id));
  }
  return { applied: true, more: following !== undefined };
}

/**
 * Applies a conversation's pending events one at a time, oldest first, each in its own transaction
 * (snapshot and outbox commands commit together). An event whose handling throws is marked failed and the
 * conversation flagged for a person; the events after it still flow. Returns how many were handled.
 */
export async function applyConversationEvents(deps: EngineDeps, conversationId: string): Promise<number> {
  let handled = 0;
  for (;;) {
    try {
      const { applied, more } = await deps.db.transaction((tx) => applyOne(deps, tx, conversationId));
      if (applied) handled++;
      // A later event stored while this one was applied is seen by the caller's re-run (or the poll).
      if (!more) return handled;
    } catch (err) {
      deps.logger.error({ err, conversationId }, 'an event could not be applied; a person is asked to look');
      const marked = await markOldestFailed(deps.db, conversationId, err);
      if (!marked) throw err;
      handled++;
    }
  }
}

async function markOldestFailed(db: Db, conversationId: string, err: unknown): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for('update');
    const [event] = await tx
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.conversationId, conversationId), eq(events.status, 'pending')))
      .orderBy(asc(events.id))
      .limit(1);
    if (!event) return false;
    const reason = err instanceof Error ? err.message : String(err);
    await tx
      .update(events)
      .set({ status: 'failed', error: reason, processedAt: new Date() })
      .where(eq(events.id, event.id));
    await tx
      .update(conversations)
      .set({ needsAgent: `an event could not be handled: ${reason}`, updatedAt: new Date() })
      .where(eq(conversations.id, conversationId));
    return true;
  });
}
