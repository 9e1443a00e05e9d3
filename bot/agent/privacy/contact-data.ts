import { asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/create-database.js';
import {
  auditLog,
  contacts,
  conversationNotes,
  conversations,
  events,
  filingActions,
  filings,
  messages,
  orders,
  outbox,
  paymentNotifications,
  paymentRequests,
  payments,
  reminders,
  unhandledAisensyDeliveries,
} from '../../../db/schema.js';

/**
 * Every row held about one phone number, as stored (still sealed): what an export opens and an erasure
 * rewrites. One list of tables for both, so a table added later is found in one place.
 */
export async function loadContactData(db: Db | Tx, phone: string, options: { lock?: boolean } = {}) {
  const contactQuery = db.select().from(contacts).where(eq(contacts.phone, phone));
  const [contact] = await (options.lock ? contactQuery.for('update') : contactQuery);
  if (!contact) return undefined;
  const conversationQuery = db.select().from(conversations).where(eq(conversations.contactId, contact.id));
  const [conversation] = await (options.lock ? conversationQuery.for('update') : conversationQuery);
  const conversationIds = conversation ? [conversation.id] : [];
  const byConversation = <T>(load: (ids: string[]) => Promise<T[]>) =>
    conversationIds.length > 0 ? load(conversationIds) : Promise.resolve([] as T[]);

  const orderRows = await byConversation((ids) =>
    db.select().from(orders).where(inArray(orders.conversationId, ids)).orderBy(asc(orders.createdAt)),
  );
  const orderIds = orderRows.map((order) => order.id);
  const byOrder = <T>(load: (ids: string[]) => Promise<T[]>) =>
    orderIds.length > 0 ? load(orderIds) : Promise.resolve([] as T[]);
  const paymentRows = await byOrder((ids) =>
    db.select().from(payments).where(inArray(payments.orderId, ids)),
  );
  const notificationIds = paymentRows.flatMap((payment) =>
    payment.notificationId === null ? [] : [payment.notificationId],
  );
  const filingRows = await byOrder((ids) => db.select().from(filings).where(inArray(filings.orderId, ids)));
  const filingIds = filingRows.map((filing) => filing.id);
  const subjects = [
    `contact:${contact.id}`,
    ...conversationIds.map((id) => `conversation:${id}`),
    ...orderIds.map((id) => `order:${id}`),
    ...filingIds.map((id) => `filing:${id}`),
  ];

  return {
    contact,
    conversation,
    events: await byConversation((ids) =>
      db.select().from(events).where(inArray(events.conversationId, ids)).orderBy(asc(events.id)),
    ),
    messages: await byConversation((ids) =>
      db.select().from(messages).where(inArray(messages.conversationId, ids)).orderBy(asc(messages.id)),
    ),
    outbox: await byConversation((ids) =>
      db.select().from(outbox).where(inArray(outbox.conversationId, ids)).orderBy(asc(outbox.id)),
    ),
    notes: await byConversation((ids) =>
      db
        .select()
        .from(conversationNotes)
        .where(inArray(conversationNotes.conversationId, ids))
        .orderBy(asc(conversationNotes.id)),
    ),
    reminders: await byConversation((ids) =>
      db.select().from(reminders).where(inArray(reminders.conversationId, ids)),
    ),
    unhandledDeliveries: await byConversation((ids) =>
      db
        .select()
        .from(unhandledAisensyDeliveries)
        .where(inArray(unhandledAisensyDeliveries.conversationId, ids)),
    ),
    orders: orderRows,
    paymentRequests: await byOrder((ids) =>
      db.select().from(paymentRequests).where(inArray(paymentRequests.orderId, ids)),
    ),
    payments: paymentRows,
    paymentNotifications:
      notificationIds.length > 0
        ? await db
            .select()
            .from(paymentNotifications)
            .where(inArray(paymentNotifications.id, notificationIds))
        : [],
    filings: filingRows,
    filingActions:
      filingIds.length > 0
        ? await db.select().from(filingActions).where(inArray(filingActions.filingId, filingIds))
        : [],
    audit: await db
      .select()
      .from(auditLog)
      .where(inArray(auditLog.subject, subjects))
      .orderBy(asc(auditLog.id)),
  };
}

export type ContactData = NonNullable<Awaited<ReturnType<typeof loadContactData>>>;
