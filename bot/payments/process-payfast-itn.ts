import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { orders, paymentNotifications, payments } from '../../db/schema.js';
import type { KeyRing } from '../../db/seal-json.js';
import { confirmPayment } from './confirm-payment.js';
import { money } from './money.js';
import type { NotificationVerdict } from './notification-verdict.js';
import { payfastItnParameterString, verifyPayfastItnSignature } from './payfast-signature.js';
import { payfastSourceAllowed, type ResolveHost, type SourceCheck } from './payfast-source-allowed.js';
import { settlePaymentNotification } from './record-payment-notification.js';
import { validatePayfastItn } from './validate-payfast-itn.js';

export interface PayfastItnDeps {
  db: Db;
  /** Seals and opens stored raw notifications (they hold the payer's details). */
  encryptionKeys: KeyRing;
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
  /** How many checks had started on it when it was read (0 when just stored); this run claims the next. */
  checks: number;
}

/** One run of the checks on a stored ITN. */
export interface ItnCheck {
  verdict: NotificationVerdict;
  /** Which run this was: 1 for the webhook's own, then one more per re-check. */
  check: number;
  /** The order the ITN names, once the checks got as far as finding it. */
  order?: { id: string; reference: string; conversationId: string };
}

type Findings = Omit<ItnCheck, 'check'>;

const rejected = (reason: string): Findings => ({ verdict: { outcome: 'rejected', reason } });

function heldReason(sourceIp: string, source: Extract<SourceCheck, { allowed: false }>): string {
  const why =
    source.failedLookups.length > 0
      ? `source ${sourceIp} could not be checked (lookup failed: ${source.failedLookups.join(', ')})`
      : `source ${sourceIp} is not on PAYFAST_SOURCE_ALLOWLIST`;
  return `held for a person: ${why}, though its signature is right and PayFast's validation answered VALID`;
}

async function findingsOf(deps: PayfastItnDeps, itn: StoredItn, at: Date): Promise<Findings> {
  if (!verifyPayfastItnSignature(itn.rawBody, deps.payfast.passphrase)) return rejected('signature mismatch');
  // A source that fails this check does not reject a correctly signed ITN: PayFast got its 200 and never
  // sends it again, so a real payment from an address missing from the list, or sent while a host name
  // could not be resolved, would be lost. The other checks still run, and if all pass the ITN is held.
  const source = await payfastSourceAllowed(itn.sourceIp, deps.payfast.sourceAllowlist, deps.resolveHost);
  const fields = new URLSearchParams(itn.rawBody);
  const field = (name: string) => fields.get(name)?.trim() ?? '';
  if (field('merchant_id') !== deps.payfast.merchantId) {
    return rejected(`merchant_id ${JSON.stringify(field('merchant_id'))} is not ours`);
  }
  const pfPaymentId = field('pf_payment_id');
  if (!pfPaymentId) return rejected('pf_payment_id is missing');
  const [found] = await deps.db
    .select()
    .from(orders)
    .where(eq(orders.reference, field('m_payment_id')));
  if (!found) return rejected(`unknown order ${JSON.stringify(field('m_payment_id'))}`);
  const order = { id: found.id, reference: found.reference, conversationId: found.conversationId };
  const decided = (outcome: NotificationVerdict['outcome'], reason: string): Findings => ({
    verdict: { outcome, reason },
    order,
  });
  let grossCents: number;
  try {
    grossCents = money.parse(field('amount_gross'));
  } catch {
    return decided('rejected', `amount_gross ${JSON.stringify(field('amount_gross'))} is not an amount`);
  }
  // DOMAIN.md: equal within R0.01.
  if (Math.abs(grossCents - found.amountCents) > 1) {
    return decided(
      'rejected',
      `amount_gross R${money.format(grossCents)} differs from the order's R${money.format(found.amountCents)}`,
    );
  }
  const [seen] = await deps.db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.provider, 'payfast'), eq(payments.providerPaymentId, pfPaymentId)));
  if (seen) return decided('ignored', `pf_payment_id ${pfPaymentId} was processed before`);

  const parameterString = payfastItnParameterString(itn.rawBody);
  let valid: boolean;
  try {
    valid = await (deps.validate ?? ((body) => validatePayfastItn(deps.payfast.url, body)))(parameterString);
  } catch (err) {
    return decided(
      'pending',
      `PayFast validation unreachable (${err instanceof Error ? err.message : String(err)}); reconciliation retries`,
    );
  }
  if (!valid) return decided('rejected', 'PayFast server validation answered INVALID');

  const status = field('payment_status');
  if (status !== 'COMPLETE') return decided('ignored', `payment_status ${status}: only COMPLETE pays`);
  if (!source.allowed) return decided('pending', heldReason(itn.sourceIp, source));
  const confirmed = await confirmPayment(deps.db, {
    orderId: found.id,
    provider: 'payfast',
    providerPaymentId: pfPaymentId,
    amountCents: grossCents,
    status,
    notificationId: itn.id,
    at,
  });
  switch (confirmed.result) {
    case 'paid':
      deps.onEventStored?.(confirmed.conversationId);
      return decided('accepted', `order ${found.reference} paid`);
    case 'duplicate':
      return decided('ignored', `pf_payment_id ${pfPaymentId} was processed before`);
    case 'flagged':
      return decided('accepted', `payment recorded, order flagged: ${confirmed.reason}`);
  }
}

/** Counts this run on the row, unless another process already started the same one: then undefined. */
async function claimCheck(db: Db, itn: StoredItn, at: Date): Promise<number | undefined> {
  const [claimed] = await db
    .update(paymentNotifications)
    .set({ checks: sql`${paymentNotifications.checks} + 1`, checkedAt: at })
    .where(
      and(
        eq(paymentNotifications.id, itn.id),
        eq(paymentNotifications.checks, itn.checks),
        eq(paymentNotifications.outcome, 'pending'),
      ),
    )
    .returning({ checks: paymentNotifications.checks });
  return claimed?.checks;
}

/**
 * Runs every check DOMAIN.md lists on a stored ITN (signature over the raw body, source address, merchant,
 * amount, pf_payment_id not seen, PayFast's own VALID) and pays only a COMPLETE one. A forged signature, or
 * data PayFast disowns or that does not fit the order, is rejected. What could not be decided stays
 * `pending`: PayFast's validation unreachable, or a source that is not listed or could not be looked up
 * (held: never paid on this run, never rejected either). The verdict is written onto the notification row;
 * a failed check changes nothing else. Undefined when another process is already running this check.
 */
export async function processPayfastItn(deps: PayfastItnDeps, itn: StoredItn): Promise<ItnCheck | undefined> {
  const at = (deps.now ?? (() => new Date()))();
  const check = await claimCheck(deps.db, itn, at);
  if (check === undefined) return undefined;
  const findings = await findingsOf(deps, itn, at);
  await settlePaymentNotification(deps.db, itn.id, findings.verdict);
  return { ...findings, check };
}
