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

/**
 * What a pay token can look like (base64url; ours are 24 random bytes). Anything else, from a mangled
 * link to a NUL or a path, is not one of ours and never reaches the database.
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

/** The order behind a pay link and whether it may be paid now. */
export async function findOrderByToken(db: Db, token: string, now: Date): Promise<TokenLookup> {
  if (!TOKEN_SHAPE.test(token)) return { state: 'unknown' };
  const [order] = await db.select().from(orders).where(eq(orders.payToken, token));
  if (!order) return { state: 'unknown' };
  if (PAID.has(order.status)) return { state: 'paid', order };
  if (order.status === 'expired') return { state: 'expired', order };
  if (order.status !== 'awaiting_payment') return { state: 'closed', order };
  if (order.payTokenExpiresAt.getTime() <= now.getTime()) return { state: 'expired', order };
  return { state: 'payable', order };
}
