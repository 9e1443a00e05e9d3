import { inArray, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/create-database.js';
import {
  contacts,
  conversationNotes,
  conversations,
  events,
  messages,
  orders,
  outbox,
  paymentRequests,
  reminders,
  unhandledAisensyDeliveries,
} from '../../db/schema.js';
import { recordAudit } from '../agent/audit/record-audit.js';

const DAY_MS = 86_400_000;

/**
 * Deletes abandoned leads (POPIA s14: kept no longer than needed): conversations whose last event is more
 * than `leadDays` old and that never led to money — no order paid, no payment, no filing — with their
 * contact, transcript, events, commands, reminders and unpaid orders. A conversation that ever paid is a
 * customer's, kept with its financial records (an erasure on request is `eraseContact`'s job). Batches
 * of `batchSize` conversations, each in its own transaction, skipping rows the engine holds right now;
 * each purge leaves one audit row naming the conversation by id.
 */
export async function purgeAbandonedLeads(
  db: Db,
  options: { now: Date; leadDays: number; batchSize?: number },
): Promise<{ purged: number }> {
  const cutoff = new Date(options.now.getTime() - options.leadDays * DAY_MS);
  const batchSize = options.batchSize ?? 100;
  let purged = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await queryRows<{ id: string; contact_id: string }>(
        tx,
        sql`select c.id, c.contact_id from ${conversations} c
            where greatest(c.created_at, c.updated_at, coalesce(c.last_inbound_at, c.created_at),
                    coalesce((select max(e.received_at) from ${events} e where e.conversation_id = c.id), c.created_at))
                  < ${cutoff.toISOString()}::timestamptz
              and not exists (
                select 1 from ${orders} o
                where o.conversation_id = c.id
                  and (o.paid_at is not null
                    or o.status in ('paid', 'filing', 'filed', 'needs_agent', 'refunded')
                    or exists (select 1 from payments p where p.order_id = o.id)
                    or exists (select 1 from filings f where f.order_id = o.id)))
            order by c.created_at
            limit ${batchSize}
            for update of c skip locked`,
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.id);
      const orderIds = (
        await tx.select({ id: orders.id }).from(orders).where(inArray(orders.conversationId, ids))
      ).map((order) => order.id);
      if (orderIds.length > 0) {
        await tx.delete(paymentRequests).where(inArray(paymentRequests.orderId, orderIds));
        await tx.delete(orders).where(inArray(orders.id, orderIds));
      }
      await tx.delete(events).where(inArray(events.conversationId, ids));
      await tx.delete(outbox).where(inArray(outbox.conversationId, ids));
      await tx.delete(messages).where(inArray(messages.conversationId, ids));
      await tx.delete(reminders).where(inArray(reminders.conversationId, ids));
      await tx.delete(conversationNotes).where(inArray(conversationNotes.conversationId, ids));
      await tx
        .delete(unhandledAisensyDeliveries)
        .where(inArray(unhandledAisensyDeliveries.conversationId, ids));
      await tx.delete(conversations).where(inArray(conversations.id, ids));
      await tx.delete(contacts).where(
        inArray(
          contacts.id,
          rows.map((row) => row.contact_id),
        ),
      );
      for (const row of rows) {
        await recordAudit(tx, {
          actor: 'system',
          action: 'lead.purged',
          subject: `conversation:${row.id}`,
          details: { contact: row.contact_id, retentionDays: options.leadDays },
        });
      }
      return rows.length;
    });
    purged += batch;
    if (batch < batchSize) return { purged };
  }
}
