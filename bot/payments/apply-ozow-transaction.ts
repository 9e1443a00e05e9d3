import type { Db } from '../../db/create-database.js';
import type { orders } from '../../db/schema.js';
import { confirmPayment } from './confirm-payment.js';
import type { OzowTransaction } from './create-ozow-client.js';
import { flagOrder } from './flag-order.js';
import { money } from './money.js';
import type { NotificationVerdict } from './notification-verdict.js';

export interface OzowApplyDeps {
  db: Db;
  now: () => Date;
  onEventStored?: (conversationId: string) => void;
}

/**
 * Acts on a transaction as Ozow's status API reports it (never as a notification or a redirect claims it):
 * Complete with the order's amount pays; PendingInvestigation or a different amount goes to a person;
 * Pending waits for the next notification; Cancelled, Error and Abandoned change nothing.
 */
export async function applyOzowTransaction(
  deps: OzowApplyDeps,
  order: typeof orders.$inferSelect,
  transaction: OzowTransaction,
  notificationId?: number,
): Promise<NotificationVerdict> {
  const now = deps.now();
  const flag = async (reason: string): Promise<NotificationVerdict> => {
    await deps.db.transaction((tx) => flagOrder(tx, order, reason, now));
    return { outcome: 'rejected', reason: `order flagged: ${reason}` };
  };
  switch (transaction.status) {
    case 'Complete': {
      if (transaction.amountCents !== order.amountCents) {
        return flag(
          `Ozow transaction ${transaction.transactionId} paid R${money.format(transaction.amountCents)} for order ${order.reference} of R${money.format(order.amountCents)}`,
        );
      }
      const confirmed = await confirmPayment(deps.db, {
        orderId: order.id,
        provider: 'ozow',
        providerPaymentId: transaction.transactionId,
        amountCents: transaction.amountCents,
        status: transaction.status,
        notificationId,
        at: now,
      });
      if (confirmed.result === 'paid') {
        deps.onEventStored?.(confirmed.conversationId);
        return { outcome: 'accepted', reason: `order ${order.reference} paid` };
      }
      if (confirmed.result === 'duplicate') {
        return {
          outcome: 'ignored',
          reason: `Ozow transaction ${transaction.transactionId} was processed before`,
        };
      }
      return { outcome: 'accepted', reason: `payment recorded, order flagged: ${confirmed.reason}` };
    }
    case 'PendingInvestigation':
      return flag(
        `Ozow transaction ${transaction.transactionId} for order ${order.reference} is under investigation`,
      );
    case 'Pending':
      return { outcome: 'ignored', reason: 'Pending: waiting for the final notification' };
    default:
      return { outcome: 'ignored', reason: `status ${transaction.status}: nothing paid` };
  }
}
