import { and, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { conversations, orders } from '../../db/schema.js';
import { storeClaimedEvents } from '../store-claimed-events.js';

const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Stores one `payment.reminderDue` per unpaid order, `remindAfterMs` after it was created, while the
 * owner's 24-hour WhatsApp window is still open (a free-form nudge; outside it a paid template would be
 * needed, and the expiry notice follows anyway). `reminderSentAt` makes it once. Answers the
 * conversations that got an event.
 */
export async function remindUnpaidOrders(
  db: Db,
  options: { now: Date; remindAfterMs: number },
): Promise<string[]> {
  const { now } = options;
  const due = await db
    .select({ id: orders.id, conversationId: orders.conversationId })
    .from(orders)
    .innerJoin(conversations, eq(conversations.id, orders.conversationId))
    .where(
      and(
        eq(orders.status, 'awaiting_payment'),
        isNull(orders.reminderSentAt),
        gt(orders.payTokenExpiresAt, now),
        lte(orders.createdAt, new Date(now.getTime() - options.remindAfterMs)),
        gt(conversations.lastInboundAt, new Date(now.getTime() - WHATSAPP_WINDOW_MS)),
      ),
    );
  return storeClaimedEvents(db, due, async (tx, order) => {
    const [claimed] = await tx
      .update(orders)
      .set({ reminderSentAt: now, updatedAt: now })
      .where(
        and(eq(orders.id, order.id), isNull(orders.reminderSentAt), eq(orders.status, 'awaiting_payment')),
      )
      .returning({ id: orders.id });
    if (!claimed) return undefined;
    return {
      dedupeKey: `payment:${order.id}:reminder`,
      event: { type: 'payment.reminderDue', at: now.toISOString(), orderId: order.id },
    };
  });
}
