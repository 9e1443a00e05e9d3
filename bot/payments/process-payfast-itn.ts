import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { orders, payments } from '../../db/schema.js';
import { confirmPayment } from './confirm-payment.js';
import { money } from './money.js';
import type { NotificationVerdict } from './notification-verdict.js';
import { payfastItnParameterString, verifyPayfastItnSignature } from './payfast-signature.js';
import { payfastSourceAllowed, type ResolveHost } from './payfast-source-allowed.js';
import { settlePaymentNotification } from './record-payment-notification.js';
import { validatePayfastItn } from './validate-payfast-itn.js';

export interface PayfastItnDeps {
  db: Db;
  payfast: { url: string; merchantId: string; passphrase?: string; sourceAllowlist: readonly string[] };
  resolveHost: ResolveHost;
  /** PayFast's server confirmation; defaults to POSTing to {url}/eng/query/validate. */
  validate?: (parameterString: string) => Promise<boolean>;
  now?: () => Date;
  /** Told after a `payment.confirmed` event is stored, so the engine applies it now. */
  onEventStored?: (conversationId: string) => void;
}

export interface StoredItn {
  id: number;
  rawBody: string;
  sourceIp: string;
}

const rejected = (reason: string): NotificationVerdict => ({ outcome: 'rejected', reason });

async function verdictOf(deps: PayfastItnDeps, itn: StoredItn): Promise<NotificationVerdict> {
  if (!verifyPayfastItnSignature(itn.rawBody, deps.payfast.passphrase)) return rejected('signature mismatch');
  if (!(await payfastSourceAllowed(itn.sourceIp, deps.payfast.sourceAllowlist, deps.resolveHost))) {
    return rejected(`source ${itn.sourceIp} is not a PayFast host`);
  }
  const fields = new URLSearchParams(itn.rawBody);
  const field = (name: string) => fields.get(name)?.trim() ?? '';
  if (field('merchant_id') !== deps.payfast.merchantId) {
    return rejected(`merchant_id ${JSON.stringify(field('merchant_id'))} is not ours`);
  }
  const pfPaymentId = field('pf_payment_id');
  if (!pfPaymentId) return rejected('pf_payment_id is missing');
  const [order] = await deps.db
    .select()
    .from(orders)
    .where(eq(orders.reference, field('m_payment_id')));
  if (!order) return rejected(`unknown order ${JSON.stringify(field('m_payment_id'))}`);
  let grossCents: number;
  try {
    grossCents = money.parse(field('amount_gross'));
  } catch {
    return rejected(`amount_gross ${JSON.stringify(field('amount_gross'))} is not an amount`);
  }
  // DOMAIN.md: equal within R0.01.
  if (Math.abs(grossCents - order.amountCents) > 1) {
    return rejected(
      `amount_gross R${money.format(grossCents)} differs from the order's R${money.format(order.amountCents)}`,
    );
  }
  const [seen] = await deps.db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.provider, 'payfast'), eq(payments.providerPaymentId, pfPaymentId)));
  if (seen) return { outcome: 'ignored', reason: `pf_payment_id ${pfPaymentId} was processed before` };

  const parameterString = payfastItnParameterString(itn.rawBody);
  let valid: boolean;
  try {
    valid = await (deps.validate ?? ((body) => validatePayfastItn(deps.payfast.url, body)))(parameterString);
  } catch (err) {
    return {
      outcome: 'pending',
      reason: `PayFast validation unreachable (${err instanceof Error ? err.message : String(err)}); reconciliation retries`,
    };
  }
  if (!valid) return rejected('PayFast server validation answered INVALID');

  const status = field('payment_status');
  if (status !== 'COMPLETE')
    return { outcome: 'ignored', reason: `payment_status ${status}: only COMPLETE pays` };
  const confirmed = await confirmPayment(deps.db, {
    orderId: order.id,
    provider: 'payfast',
    providerPaymentId: pfPaymentId,
    amountCents: grossCents,
    status,
    notificationId: itn.id,
    at: (deps.now ?? (() => new Date()))(),
  });
  switch (confirmed.result) {
    case 'paid':
      deps.onEventStored?.(confirmed.conversationId);
      return { outcome: 'accepted', reason: `order ${order.reference} paid` };
    case 'duplicate':
      return { outcome: 'ignored', reason: `pf_payment_id ${pfPaymentId} was processed before` };
    case 'flagged':
      return { outcome: 'accepted', reason: `payment recorded, order flagged: ${confirmed.reason}` };
  }
}

/**
 * Runs every check DOMAIN.md lists on a stored ITN (signature over the raw body, source host, merchant,
 * amount, pf_payment_id not seen, PayFast's own VALID) and pays only a COMPLETE one. The verdict is written
 * onto the notification row; a failed check changes nothing else.
 */
export async function processPayfastItn(deps: PayfastItnDeps, itn: StoredItn): Promise<NotificationVerdict> {
  const verdict = await verdictOf(deps, itn);
  await settlePaymentNotification(deps.db, itn.id, verdict);
  return verdict;
}
