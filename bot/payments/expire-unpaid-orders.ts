import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { orders } from '../../db/schema.js';
import { storeClaimedEvents } from '../store-claimed-events.js';

/**
 * Expires unpaid orders whose pay link has run out: status `expired` and one `order.expired` event, in
 * one transaction. The status update is conditional, so a payment confirmed at the same moment (it holds
 * the order's row lock) wins and the order is not expired. Answers the conversations that got an event.
 */
export async function expireUnpaidOrders(db: Db, now: Date): Promise<string[]> {
  const due = await db
    .select({ id: orders.id, conversationId: orders.conversationId })
    .from(orders)
    .where(and(eq(orders.status, 'awaiting_payment'), lte(orders.payTokenExpiresAt, now)));
  return storeClaimedEvents(db, due, async (tx, order) => {
    const [claimed] = await tx
      .update(orders)
      .set({ status: 'expired', updatedAt: now })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'awaiting_payment')))
      .returning({ id: orders.id });
    if (!claimed) return undefined;
    return {
      dedupeKey: `order:${order.id}:expired`,
      event: { type: 'order.expired', at: now.toISOString(), orderId: order.id },
    };
  });
}
