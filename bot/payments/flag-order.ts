import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/create-database.js';
import { conversations, orders } from '../../db/schema.js';

/**
 * Hands an order to a person: the order waits in `needs_agent` and its conversation shows the reason in
 * the agent console. Nothing is filed or refunded automatically.
 */
export async function flagOrder(
  db: Db | Tx,
  order: { id: string; conversationId: string },
  reason: string,
  now: Date,
): Promise<void> {
  await db.update(orders).set({ status: 'needs_agent', updatedAt: now }).where(eq(orders.id, order.id));
  await db
    .update(conversations)
    .set({ needsAgent: reason, updatedAt: now })
    .where(eq(conversations.id, order.conversationId));
}
