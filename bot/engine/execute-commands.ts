import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/create-database.js';
import { encryptField } from '../../db/encrypt-field.js';
import { contacts, conversations, events, orders, reminders } from '../../db/schema.js';
import type { KeyRing } from '../../db/seal-json.js';
import type { ConversationCommand } from '../../flows/conversation/conversation-command.js';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import type { OutboxKind, OutboxPayloads } from '../outbox/outbox-commands.js';
import type { PendingOutboxRow } from './write-engine-results.js';

export interface CommandContext {
  tx: Tx;
  conversationId: string;
  contactId: string;
  phone: string;
  userName: string;
  /** The time of the event being applied: commands happen "then", not at the wall clock. */
  at: string;
  /** Newest first: the newest encrypts the order's email and FAS details. */
  encryptionKeys: KeyRing;
  publicBaseUrl: string;
  payTokenTtlMs: number;
  /** Outbox rows in the order the commands produced them; the engine writes them all in one statement. */
  outbox: PendingOutboxRow[];
}

function enqueue<K extends OutboxKind>(ctx: CommandContext, kind: K, payload: OutboxPayloads[K]): void {
  ctx.outbox.push({ conversationId: ctx.conversationId, kind, payload });
}

/** Order references people can read out over the phone: no 0/O or 1/I. */
function orderReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return `AR-${Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * Carries out the machine's commands inside the engine's transaction: messages and workflow starts are
 * collected for the outbox (the engine writes them with the snapshot), database changes happen here.
 * Returns the events the commands produced (an order's creation), which the engine feeds straight back
 * to the machine.
 */
export async function executeCommands(
  ctx: CommandContext,
  commands: ConversationCommand[],
): Promise<ConversationEvent[]> {
  const followUps: ConversationEvent[] = [];
  for (const command of commands) {
    switch (command.type) {
      case 'reply':
        ctx.outbox.push({
          conversationId: ctx.conversationId,
          kind: 'whatsapp.send',
          payload: { phone: ctx.phone, userName: ctx.userName, message: command.message },
          transcript: command.message,
        });
        break;
      case 'sendAgentMessage':
        // The transcript keeps who wrote it; a named template goes out as that template, in the window or not.
        ctx.outbox.push({
          conversationId: ctx.conversationId,
          kind: 'whatsapp.send',
          payload: {
            phone: ctx.phone,
            userName: ctx.userName,
            message: { kind: 'text', text: command.message.text },
            ...(command.message.template && { template: command.message.template }),
          },
          transcript: { kind: 'text', text: command.message.text },
          author: { agentId: command.agentId, agentName: command.agentName },
        });
        break;
      case 'lookupCompany':
        enqueue(ctx, 'temporal.startLookup', {
          conversationId: ctx.conversationId,
          registrationNumber: command.registrationNumber,
          requestedAt: ctx.at,
        });
        break;
      case 'recordConsent':
        await ctx.tx
          .update(contacts)
          .set(
            command.given
              ? { consentVersion: command.version, consentAt: new Date(ctx.at) }
              : { consentVersion: null, consentAt: null },
          )
          .where(eq(contacts.id, ctx.contactId));
        break;
      case 'setOptOut':
        await ctx.tx
          .update(contacts)
          .set({ optedOutAt: command.optedOut ? new Date(ctx.at) : null })
          .where(eq(contacts.id, ctx.contactId));
        break;
      case 'requestAgent':
        await ctx.tx
          .update(conversations)
          .set({ needsAgent: command.reason, updatedAt: new Date(ctx.at) })
          .where(eq(conversations.id, ctx.conversationId));
        break;
      case 'createOrder': {
        const { order } = command;
        const payToken = randomBytes(24).toString('base64url');
        const expiresAt = new Date(new Date(ctx.at).getTime() + ctx.payTokenTtlMs);
        const [row] = await ctx.tx
          .insert(orders)
          .values({
            reference: orderReference(),
            conversationId: ctx.conversationId,
            registrationNumber: order.registrationNumber,
            companyName: order.companyName,
            years: order.years.map((y) => ({
              year: y.year,
              turnoverBand: y.turnoverBandId,
              late: y.late,
              dueDate: y.dueDate,
              feeCents: y.feeCents,
            })),
            cipcFeeCents: order.cipcFeeCents,
            serviceFeeCents: order.serviceFeeCents,
            amountCents: order.totalCents,
            emailEncrypted: encryptField(order.email, ctx.encryptionKeys[0] as Buffer),
            fasEncrypted: encryptField(JSON.stringify(order.fas), ctx.encryptionKeys[0] as Buffer),
            payToken,
            payTokenExpiresAt: expiresAt,
          })
          .returning({ id: orders.id, reference: orders.reference });
        const created = row as { id: string; reference: string };
        const event: ConversationEvent = {
          type: 'order.created',
          at: ctx.at,
          orderId: created.id,
          reference: created.reference,
          payUrl: `${ctx.publicBaseUrl}/pay/${payToken}`,
          expiresAt: expiresAt.toISOString(),
        };
        // Kept on the event log like any other event, already applied.
        await ctx.tx.insert(events).values({
          conversationId: ctx.conversationId,
          dedupeKey: `order:${created.id}:created`,
          type: event.type,
          payload: event as unknown as Record<string, unknown>,
          status: 'processed',
          processedAt: new Date(),
        });
        followUps.push(event);
        break;
      }
      case 'scheduleReminder': {
        const { reminder } = command;
        await ctx.tx
          .insert(reminders)
          .values({
            conversationId: ctx.conversationId,
            kind: reminder.kind,
            registrationNumber: reminder.registrationNumber,
            dueAt: new Date(command.dueAt),
            payload: reminder,
          })
          // The same reminder again schedules nothing new; one the owner had said no to is on again, since
          // asking is their latest word. One already sent stays sent.
          .onConflictDoUpdate({
            target: [reminders.conversationId, reminders.kind, reminders.registrationNumber, reminders.dueAt],
            set: { cancelledAt: null, payload: reminder },
            setWhere: isNull(reminders.sentAt),
          });
        break;
      }
      case 'cancelReminders':
        await ctx.tx
          .update(reminders)
          .set({ cancelledAt: new Date(ctx.at) })
          .where(
            and(
              eq(reminders.conversationId, ctx.conversationId),
              eq(reminders.kind, command.kind),
              eq(reminders.registrationNumber, command.registrationNumber),
              isNull(reminders.sentAt),
              isNull(reminders.cancelledAt),
            ),
          );
        break;
    }
  }
  return followUps;
}
