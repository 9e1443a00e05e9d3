import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { contacts, conversations, reminders } from '../../db/schema.js';
import type { Reminder } from '../../flows/conversation/conversation-event.js';
import { storeClaimedEvents } from '../store-claimed-events.js';

/**
 * Hands every reminder whose time has come back to its conversation as one `reminder.due` event (weeks
 * later the chat window is closed: the dispatcher sends it as a template). A reminder whose owner has opted
 * out by then is cancelled instead, so nothing reaches someone who said stop (and should they opt out
 * between this read and the event, the machine says nothing while opted out). Claimed with a conditional
 * update and stored under a dedupe key: replicas and re-runs store each reminder once. Answers the
 * conversations that got an event.
 */
export async function storeDueReminders(db: Db, now: Date): Promise<string[]> {
  const due = await db
    .select({
      id: reminders.id,
      conversationId: reminders.conversationId,
      payload: reminders.payload,
      optedOutAt: contacts.optedOutAt,
    })
    .from(reminders)
    .innerJoin(conversations, eq(conversations.id, reminders.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(isNull(reminders.sentAt), isNull(reminders.cancelledAt), lte(reminders.dueAt, now)))
    .orderBy(asc(reminders.dueAt));
  return storeClaimedEvents(db, due, async (tx, reminder) => {
    const optedOut = reminder.optedOutAt !== null;
    const [claimed] = await tx
      .update(reminders)
      .set(optedOut ? { cancelledAt: now } : { sentAt: now })
      .where(and(eq(reminders.id, reminder.id), isNull(reminders.sentAt), isNull(reminders.cancelledAt)))
      .returning({ id: reminders.id });
    if (!claimed || optedOut) return undefined;
    return {
      dedupeKey: `reminder:${reminder.id}:due`,
      event: { type: 'reminder.due', at: now.toISOString(), reminder: reminder.payload as Reminder },
    };
  });
}
