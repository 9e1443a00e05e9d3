import { createHash, timingSafeEqual } from 'node:crypto';

/** PayFast's order for checkout signatures (DOMAIN.md); fields outside it are not signed by PayFast. */
const PAYFAST_CHECKOUT_FIELD_ORDER = [
  'merchant_id',
  'merchant_key',
  'return_url',
  'cancel_url',
  'notify_url',
  'notify_method',
  'name_first',
  'name_last',
  'email_address',
  'cell_number',
  'm_payment_id',
  'amount',
  'item_name',
  'item_description',
  'custom_int1',
  'custom_int2',
  'custom_int3',
  'custom_int4',
  'custom_int5',
  'custom_str1',
  'custom_str2',
  'custom_str3',
  'custom_str4',
  'custom_str5',
  'email_confirmation',
  'confirmation_address',
  'currency',
  'payment_method',
  'subscription_type',
  'billing_date',
  'recurring_amount',
  'frequency',
  'cycles',
  'subscription_notify_email',
  'subscription_notify_webhook',
  'subscription_notify_buyer',
] as const;

const KNOWN_FIELDS = new Set<string>(PAYFAST_CHECKOUT_FIELD_ORDER);

/** PHP `urlencode`: only A-Za-z0-9-_. stay, space becomes '+', everything else is %XX in upper case. */
function phpUrlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+');
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function withPassphrase(parameterString: string, passphrase: string | undefined): string {
  const phrase = passphrase?.trim();
  return phrase ? `${parameterString}&passphrase=${phpUrlencode(phrase)}` : parameterString;
}

/**
 * Signature of a checkout form, exactly as PayFast's PHP SDK builds it: fields in PayFast's order, a
 * field whose value is '' is left out (but '0' is kept), values are trimmed and PHP-urlencoded, the
 * passphrase goes last. `signature` itself is ignored; any other unknown field throws, because PayFast
 * would reject the form and a silent mismatch is harder to find than an exception.
 */
export function payfastCheckoutSignature(fields: Record<string, string>, passphrase?: string): string {
  const unknown = Object.keys(fields).filter((key) => key !== 'signature' && !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) throw new Error(`PayFast does not sign these fields: ${unknown.join(', ')}`);
  const pairs = PAYFAST_CHECKOUT_FIELD_ORDER.flatMap((key) => {
    const value = fields[key];
    return value === undefined || value === '' ? [] : [`${key}=${phpUrlencode(value.trim())}`];
  });
  return md5(withPassphrase(pairs.join('&'), passphrase));
}

/**
 * The parameter string PayFast signs an ITN over, rebuilt from the raw form body: every field in posted
 * order, empty ones included, up to (not including) `signature`, each value form-decoded and
 * PHP-urlencoded again (so '%7e' or '~' in the body both come out as '%7E', as on PayFast's side).
 * This is also the body to POST to /eng/query/validate.
 */
export function payfastItnParameterString(rawBody: string): string {
  const pairs: string[] = [];
  for (const [key, value] of new URLSearchParams(rawBody)) {
    if (key === 'signature') break;
    pairs.push(`${key}=${phpUrlencode(value)}`);
  }
  return pairs.join('&');
}

/** True when the ITN's `signature` field matches the raw body (and passphrase); compared in constant time. */
export function verifyPayfastItnSignature(rawBody: string, passphrase?: string): boolean {
  const received = new URLSearchParams(rawBody).get('signature')?.trim().toLowerCase() ?? '';
  const expected = md5(withPassphrase(payfastItnParameterString(rawBody), passphrase));
  const [a, b] = [Buffer.from(received), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}
