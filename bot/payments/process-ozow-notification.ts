import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { orders } from '../../db/schema.js';
import type { KeyRing } from '../../db/seal-json.js';
import { applyOzowTransaction } from './apply-ozow-transaction.js';
import {
  OZOW_MAX_TRANSACTIONS_BY_REFERENCE,
  type OzowClient,
  type OzowTransaction,
} from './create-ozow-client.js';
import { flagOrder } from './flag-order.js';
import { money } from './money.js';
import type { NotificationVerdict } from './notification-verdict.js';
import { settlePaymentNotification } from './record-payment-notification.js';

export interface OzowNotificationDeps {
  db: Db;
  /** Seals the stored raw notification (it holds the payer's details). */
  encryptionKeys: KeyRing;
  ozow: { siteCode: string; privateKey: string };
  client: Pick<OzowClient, 'transactionsByReference'>;
  now?: () => Date;
  onEventStored?: (conversationId: string) => void;
}

async function verdictOf(
  deps: OzowNotificationDeps,
  id: number,
  fields: Record<string, string>,
): Promise<NotificationVerdict> {
  const now = deps.now ?? (() => new Date());
  if (fields.SiteCode !== deps.ozow.siteCode) {
    return { outcome: 'rejected', reason: `site code ${JSON.stringify(fields.SiteCode)} is not ours` };
  }
  const reference = fields.TransactionReference ?? '';
  const [order] = await deps.db.select().from(orders).where(eq(orders.reference, reference));
  if (!order) return { outcome: 'rejected', reason: `unknown order ${JSON.stringify(reference)}` };
  const status = fields.Status ?? '';
  if (status === 'Pending')
    return { outcome: 'ignored', reason: 'Pending: waiting for the final notification' };
  if (status !== 'Complete' && status !== 'PendingInvestigation') {
    return { outcome: 'ignored', reason: `status ${status}: nothing paid` };
  }
  let transactions: OzowTransaction[];
  try {
    transactions = await deps.client.transactionsByReference(reference);
  } catch (err) {
    return {
      outcome: 'pending',
      reason: `Ozow status API unavailable (${err instanceof Error ? err.message : String(err)}); Ozow retries`,
    };
  }
  const transaction = transactions.find((t) => t.transactionId === fields.TransactionId);
  if (!transaction && transactions.length >= OZOW_MAX_TRANSACTIONS_BY_REFERENCE) {
    // A verified notification, but Ozow shows only the latest 10 attempts per reference: this one may be
    // older. Neither paid nor refused on a guess: a person checks it in Ozow's merchant admin.
    const reason = `Ozow transaction ${fields.TransactionId} (${status}, R${fields.Amount}) for order ${order.reference} cannot be confirmed: GetTransactionByReference lists only the latest ${OZOW_MAX_TRANSACTIONS_BY_REFERENCE}; check it in Ozow's merchant admin`;
    await deps.db.transaction((tx) => flagOrder(tx, order, reason, now()));
    return { outcome: 'rejected', reason: `order flagged: ${reason}` };
  }
  if (!transaction) {
    return {
      outcome: 'rejected',
      reason: `Ozow's status API does not know transaction ${fields.TransactionId}`,
    };
  }
  let notifiedCents: number | undefined;
  try {
    notifiedCents = money.parse(fields.Amount ?? '');
  } catch {
    notifiedCents = undefined;
  }
  if (notifiedCents !== transaction.amountCents) {
    return {
      outcome: 'rejected',
      reason: `notification amount ${JSON.stringify(fields.Amount)} differs from Ozow's R${money.format(transaction.amountCents)}`,
    };
  }
  return applyOzowTransaction({ ...deps, now }, order, transaction, id);
}

/**
 * Checks a stored Ozow notification whose Hash the webhook verified (site, order) and confirms it with
 * GetTransactionByReference before anything is paid; the verdict is written onto the notification row.
 */
export async function processOzowNotification(
  deps: OzowNotificationDeps,
  notification: { id: number; fields: Record<string, string> },
): Promise<NotificationVerdict> {
  const verdict = await verdictOf(deps, notification.id, notification.fields);
  await settlePaymentNotification(deps.db, notification.id, verdict);
  return verdict;
}
