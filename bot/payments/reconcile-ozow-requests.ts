import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/create-database.js';
import { orders, paymentRequests } from '../../db/schema.js';
import { applyOzowTransaction } from './apply-ozow-transaction.js';
import type { OzowClient, OzowTransaction } from './create-ozow-client.js';

export interface ReconcileOzowDeps {
  db: Db;
  client: Pick<OzowClient, 'transactionsByReference'>;
  logger: Pick<Logger, 'warn'>;
  now: () => Date;
  /** A request younger than this is left to Ozow's own notifications. */
  olderThanMs: number;
  onEventStored?: (conversationId: string) => void;
}

const SETTLING = new Set(['Complete', 'PendingInvestigation']);
const FINAL_UNPAID = new Set(['Cancelled', 'Error', 'Abandoned']);

/**
 * For Ozow checkouts started a while ago and still unconfirmed (a notification lost, or refused while our
 * database was down), asks Ozow's status API and acts on what it says, exactly as a notification would.
 * Answers how many orders were checked.
 */
export async function reconcileOzowRequests(deps: ReconcileOzowDeps): Promise<number> {
  const now = deps.now();
  const open = await deps.db
    .selectDistinct({ order: orders })
    .from(paymentRequests)
    .innerJoin(orders, eq(orders.id, paymentRequests.orderId))
    .where(
      and(
        eq(paymentRequests.provider, 'ozow'),
        eq(paymentRequests.status, 'started'),
        lt(paymentRequests.createdAt, new Date(now.getTime() - deps.olderThanMs)),
        inArray(orders.status, ['awaiting_payment', 'expired']),
      ),
    );
  for (const { order } of open) {
    let transactions: OzowTransaction[];
    try {
      transactions = await deps.client.transactionsByReference(order.reference);
    } catch (err) {
      deps.logger.warn({ err, orderId: order.id }, 'Ozow status API unavailable; checking again next run');
      continue;
    }
    // Several attempts per reference happen, listed in no documented order. The Complete one for the
    // order's amount goes first, so it pays; any other settling one is then real money a person handles.
    const paysOrder = (t: OzowTransaction) => t.status === 'Complete' && t.amountCents === order.amountCents;
    const settling = transactions
      .filter((t) => SETTLING.has(t.status))
      .sort((a, b) => Number(paysOrder(b)) - Number(paysOrder(a)));
    for (const transaction of settling) {
      await applyOzowTransaction(deps, order, transaction);
    }
    // Once the link is dead and every attempt ended unpaid, nothing more can arrive: stop asking.
    const closed = order.status === 'expired' && transactions.every((t) => FINAL_UNPAID.has(t.status));
    await deps.db
      .update(paymentRequests)
      .set({ checkedAt: now, ...(closed && { status: 'closed' as const }) })
      .where(
        and(
          eq(paymentRequests.orderId, order.id),
          eq(paymentRequests.provider, 'ozow'),
          eq(paymentRequests.status, 'started'),
        ),
      );
  }
  return open.length;
}
