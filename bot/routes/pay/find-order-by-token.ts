import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { orders } from '../../../db/schema.js';

export type Order = typeof orders.$inferSelect;

export type TokenLookup =
  | { state: 'payable'; order: Order }
  | { state: 'unknown' }
  | { state: 'expired'; order: Order }
  | { state: 'paid'; order: Order }
  /** With a person (needs_agent), cancelled or refunded: not ours to charge again. */
  | { state: 'closed'; order: Order };

const PAID = new Set<Order['status']>(['paid', 'filing', 'filed']);

/** The order behind a pay link and whether it may be paid now. */
export async function findOrderByToken(db: Db, token: string, now: Date): Promise<TokenLookup> {
  const [order] = await db.select().from(orders).where(eq(orders.payToken, token));
  if (!order) return { state: 'unknown' };
  if (PAID.has(order.status)) return { state: 'paid', order };
  if (order.status === 'expired') return { state: 'expired', order };
  if (order.status !== 'awaiting_payment') return { state: 'closed', order };
  if (order.payTokenExpiresAt.getTime() <= now.getTime()) return { state: 'expired', order };
  return { state: 'payable', order };
}
