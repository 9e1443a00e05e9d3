import { and, asc, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { initialTransition, transition } from 'xstate';
import { type Db, queryRows, type Tx } from '../../db/create-database.js';
import { isConnectionError } from '../../db/is-connection-error.js';
import { contacts, conversations, events } from '../../db/schema.js';
import { type KeyRing, openJson, type Sealed, sealJson } from '../../db/seal-json.js';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import {
  commandsOf,
  conversationMachine,
  MACHINE_VERSION,
  migrateSnapshot,
  restartNotice,
} from '../../flows/conversation/index.js';
import { type CommandContext, executeCommands } from './execute-commands.js';
import { readEventPayload } from './read-event-payload.js';
import { type EngineResults, writeEngineResults } from './write-engine-results.js';

export interface EngineDeps {
  db: Db;
  logger: Logger;
  serviceFeeCents: number;
  publicBaseUrl: string;
  /** Newest key first (it seals); older ones still open what was sealed before a rotation. */
  encryptionKeys: KeyRing;
  payTokenTtlMs: number;
}

type MachineSnapshot = ReturnType<typeof initialTransition<typeof conversationMachine>>[0];

/**
 * The persisted snapshot holds personal data (email, FAS details, ID numbers): it is stored sealed. Its
 * state name (no personal data) stays readable beside it for the conversations-by-state metric.
 */
function sealSnapshot(keys: KeyRing, snapshot: MachineSnapshot): Sealed {
  return sealJson(conversationMachine.getPersistedSnapshot(snapshot), keys, { value: snapshot.value });
}

/** The stored snapshot carried to this machine version; afresh (with why) only when it is corrupt. */
function restore(
  deps: EngineDeps,
  stored: unknown,
  version: number,
  phone: string,
): { snapshot: MachineSnapshot; lost?: string } {
  const fresh = () =>
    initialTransition(conversationMachine, { phone, serviceFeeCents: deps.serviceFeeCents })[0];
  if (!stored) return { snapshot: fresh() };
  const persisted = openJson(stored, deps.encryptionKeys);
  const migrated = migrateSnapshot(persisted, version);
  if (!migrated.ok) return { snapshot: fresh(), lost: migrated.reason };
  return { snapshot: migrated.snapshot };
}

interface LockedConversation {
  id: string;
  snapshot: unknown;
  machine_version: number;
  contact_id: string;
  phone: string;
  name: string | null;
  erased_at: Date | string | null;
}

interface PendingEvent {
  id: number | string;
  conversation_id: string;
  /** As stored (sealed or not), of any payload version: `openJson`, then `readEventPayload` reads it. */
  payload: unknown;
}

/** Folds one conversation's pending events, oldest first, into `results` (nothing is written yet). */
async function foldConversation(
  deps: EngineDeps,
  tx: Tx,
  conversation: LockedConversation,
  pending: PendingEvent[],
  results: EngineResults,
): Promise<void> {
  // Erased on request (POPIA): nothing is said to a number we no longer hold and no dialogue is rebuilt;
  // what still arrives (a late payment webhook, a milestone) is kept as received. The money path does not
  // run through here: a paid order is filed all the same.
  if (conversation.erased_at) {
    for (const event of pending) results.processedEventIds.push(Number(event.id));
    return;
  }
  const ctx: CommandContext = {
    tx,
    conversationId: conversation.id,
    contactId: conversation.contact_id,
    phone: conversation.phone,
    userName: conversation.name ?? 'there',
    at: '',
    encryptionKeys: deps.encryptionKeys,
    publicBaseUrl: deps.publicBaseUrl,
    payTokenTtlMs: deps.payTokenTtlMs,
    outbox: results.outbox,
  };
  // Written by a newer bot during a rolling deploy: left pending for a replica of that version.
  if (conversation.machine_version > MACHINE_VERSION) {
    deps.logger.warn(
      { conversationId: conversation.id, machineVersion: conversation.machine_version },
      'a conversation saved by a newer version of the bot: left for it',
    );
    return;
  }
  let snapshot: MachineSnapshot | undefined;
  for (const event of pending) {
    results.processedEventIds.push(Number(event.id));
    const machineEvent = readEventPayload(openJson(event.payload, deps.encryptionKeys));
    if (!snapshot) {
      const restored = restore(deps, conversation.snapshot, conversation.machine_version, conversation.phone);
      snapshot = restored.snapshot;
      if (restored.lost) {
        // Never silent: the owner is told, and a person sees what they were in the middle of.
        deps.logger.error(
          { conversationId: conversation.id, reason: restored.lost },
          'a saved conversation was lost',
        );
        await executeCommands({ ...ctx, at: machineEvent.at }, [
          { type: 'reply', message: restartNotice },
          {
            type: 'requestAgent',
            reason: `The saved conversation could not be carried over (${restored.lost}).`,
          },
        ]);
      }
    }
    let current: MachineSnapshot = snapshot;
    let queue: ConversationEvent[] = [machineEvent];
    while (queue.length > 0) {
      const next = queue.shift() as ConversationEvent;
      const [after, actions] = transition(conversationMachine, current, next);
      current = after;
      queue = queue.concat(await executeCommands({ ...ctx, at: next.at }, commandsOf(actions)));
    }
    snapshot = current;
    if (machineEvent.type === 'typebot.intake' && machineEvent.consent) {
      await tx.update(contacts).set({ name: machineEvent.name }).where(eq(contacts.id, ctx.contactId));
      ctx.userName = machineEvent.name;
    }
  }
  if (snapshot) {
    results.snapshots.push({
      conversationId: conversation.id,
      snapshot: sealSnapshot(deps.encryptionKeys, snapshot),
    });
  }
}

/**
 * One transaction over several conversations: lock those no other replica holds, apply each one's
 * pending events in order (at most `eventLimit` in all), write every result in one statement.
 */
async function applyEventBatch(
  deps: EngineDeps,
  tx: Tx,
  conversationIds: readonly string[],
  eventLimit: number,
): Promise<{ applied: number; more: boolean }> {
  // The row locks serialise every change to a conversation, across replicas; one held elsewhere is
  // skipped here (its holder applies what is pending, the poll catches what arrives after).
  const locked = await queryRows<LockedConversation>(
    tx,
    sql`select c.id, c.snapshot, c.machine_version, ct.id as contact_id, ct.phone, ct.name, ct.erased_at
        from conversations c join contacts ct on ct.id = c.contact_id
        where c.id in (select jsonb_array_elements_text(${JSON.stringify(conversationIds)}::jsonb)::uuid)
        order by c.id
        for update of c skip locked`,
  );
  if (locked.length === 0) return { applied: 0, more: false };
  const pending = await queryRows<PendingEvent>(
    tx,
    sql`select id, conversation_id, payload from events
        where status = 'pending'
          and conversation_id in (select jsonb_array_elements_text(${JSON.stringify(locked.map((c) => c.id))}::jsonb)::uuid)
        order by conversation_id, id
        limit ${eventLimit}`,
  );
  if (pending.length === 0) return { applied: 0, more: false };
  const byConversation = new Map<string, PendingEvent[]>();
  for (const event of pending) {
    const list = byConversation.get(event.conversation_id);
    if (list) list.push(event);
    else byConversation.set(event.conversation_id, [event]);
  }
  const results: EngineResults = {
    outbox: [],
    snapshots: [],
    machineVersion: MACHINE_VERSION,
    processedEventIds: [],
  };
  for (const conversation of locked) {
    const events = byConversation.get(conversation.id);
    if (events) await foldConversation(deps, tx, conversation, events, results);
  }
  await writeEngineResults(tx, results, deps.encryptionKeys);
  // Counts what was applied: events left for a newer bot must not look like progress to the retry loop.
  return { applied: results.processedEventIds.length, more: pending.length === eventLimit };
}

/** Events one transaction takes at most: bounds its duration and memory, whatever the backlog. */
const BATCH_EVENT_LIMIT = 500;

/**
 * Applies the pending events of these conversations: all in one transaction (one commit for many
 * messages, which is what keeps up with a busy webhook). If anything in it throws, it is rolled back and
 * each conversation is retried one event per transaction, so the one event that fails is marked failed
 * and its conversation flagged for a person, while every other event still flows. Answers how many
 * events were handled and which conversations may have more waiting.
 */
export async function applyConversationEvents(
  deps: EngineDeps,
  conversationIds: readonly string[],
): Promise<{ handled: number; more: string[] }> {
  try {
    const { applied, more } = await deps.db.transaction((tx) =>
      applyEventBatch(deps, tx, conversationIds, BATCH_EVENT_LIMIT),
    );
    return { handled: applied, more: more ? [...conversationIds] : [] };
  } catch (err) {
    deps.logger.warn({ err }, 'an engine batch failed: applying its events one at a time');
  }
  let handled = 0;
  for (const conversationId of conversationIds) handled += await applyOneAtATime(deps, conversationId);
  return { handled, more: [] };
}

async function applyOneAtATime(deps: EngineDeps, conversationId: string): Promise<number> {
  let handled = 0;
  for (;;) {
    try {
      const { applied } = await deps.db.transaction((tx) => applyEventBatch(deps, tx, [conversationId], 1));
      if (applied === 0) return handled;
      handled += applied;
    } catch (err) {
      // The database, not the event: leave it pending for the next poll (a restart must not flag chats).
      if (isConnectionError(err)) throw err;
      deps.logger.error({ err, conversationId }, 'an event could not be applied; a person is asked to look');
      if (!(await markOldestFailed(deps.db, conversationId, err))) throw err;
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
