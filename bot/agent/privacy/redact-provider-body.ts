import { isSealedBytes, openBytes, sealBytes } from '../../../db/seal-bytes.js';
import type { KeyRing } from '../../../db/seal-json.js';

/**
 * The fields of a PayFast ITN or Ozow notification that make the payment record: who was paid what, for
 * which order, by which provider transaction. Everything else (the payer's name, email and cell number,
 * the masked account number and bank, free-form custom fields) is personal data and goes.
 */
const FINANCIAL_FIELDS = new Set([
  // PayFast ITN
  'm_payment_id',
  'pf_payment_id',
  'payment_status',
  'item_name',
  'amount_gross',
  'amount_fee',
  'amount_net',
  'merchant_id',
  // Ozow notification
  'SiteCode',
  'TransactionId',
  'TransactionReference',
  'Amount',
  'Status',
  'SubStatus',
  'CurrencyCode',
  'IsTest',
]);

/**
 * A provider's raw form-encoded notification with only its financial fields, sealed again when it was
 * sealed. Its signature no longer verifies; it was verified when it arrived, and `payments` says so.
 */
export function redactProviderBody(raw: Buffer, keys: KeyRing): Buffer {
  const sealed = isSealedBytes(raw);
  const fields = new URLSearchParams((sealed ? openBytes(raw, keys) : raw).toString('utf8'));
  const kept = new URLSearchParams();
  for (const [name, value] of fields) if (FINANCIAL_FIELDS.has(name)) kept.append(name, value);
  const redacted = Buffer.from(kept.toString(), 'utf8');
  return sealed ? sealBytes(redacted, keys) : redacted;
}
