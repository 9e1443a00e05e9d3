import { money } from './money.js';
import { ozowRequestHash } from './ozow-hash.js';

export interface OzowSettings {
  apiUrl: string;
  siteCode: string;
  privateKey: string;
  apiKey: string;
  isTest: boolean;
}

export interface OzowPaymentOrder {
  /** Our order reference: TransactionReference, and BankReference (what the buyer's statement shows). */
  reference: string;
  amountCents: number;
  successUrl: string;
  cancelUrl: string;
  errorUrl: string;
  notifyUrl: string;
}

/** One row of GetTransactionByReference, amounts in cents. */
export interface OzowTransaction {
  transactionId: string;
  transactionReference: string;
  status: string;
  amountCents: number;
}

export class OzowApiError extends Error {
  override name = 'OzowApiError';
}

/** Ozow: "The number of results returned are limited to 10" (GetTransactionByReference). */
export const OZOW_MAX_TRANSACTIONS_BY_REFERENCE = 10;

/**
 * One row of GetTransactionByReference. Ozow's docs name the properties in PascalCase and its JSON
 * answers in camelCase, so names are matched in any case; `amount` is a JSON number of rands (text is
 * accepted too). A row without an id, status or amount is an answer we cannot trust: it throws, and the
 * caller treats it like an unreachable API (try again later), never as "no such transaction".
 */
function parseTransaction(row: unknown): OzowTransaction {
  const byLowerName = new Map(
    Object.entries(typeof row === 'object' && row ? row : {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const text = (name: string) => {
    const value = byLowerName.get(name.toLowerCase());
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  const rands = Number(text('amount'));
  const transaction = {
    transactionId: text('transactionId'),
    transactionReference: text('transactionReference'),
    status: text('status'),
    // Rounding to cents removes float noise such as 349.00000001.
    amountCents: Math.round(rands * 100),
  };
  if (!transaction.transactionId || !transaction.status || text('amount') === '' || !Number.isFinite(rands)) {
    throw new OzowApiError(`GetTransactionByReference answered a row we cannot read: ${JSON.stringify(row)}`);
  }
  return transaction;
}

/** Ozow's API: payment requests (the link the buyer opens) and the status API used to confirm payments. */
export function createOzowClient(settings: OzowSettings, timeoutMs = 10_000) {
  const base = settings.apiUrl.replace(/\/$/, '');

  async function call(path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        ...init,
        headers: { ApiKey: settings.apiKey, Accept: 'application/json', ...init.headers },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new OzowApiError(`Ozow unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OzowApiError(`Ozow answered ${response.status} without JSON`);
    }
    const message = (body as { errorMessage?: string } | null)?.errorMessage;
    if (!response.ok)
      throw new OzowApiError(`Ozow answered ${response.status}: ${message ?? text.slice(0, 200)}`);
    return body;
  }

  return {
    /** PostPaymentRequest with its HashCheck; answers the hosted payment page URL. */
    async requestPayment(order: OzowPaymentOrder): Promise<{ paymentRequestId: string; url: string }> {
      const fields = {
        SiteCode: settings.siteCode,
        CountryCode: 'ZA',
        CurrencyCode: 'ZAR',
        Amount: money.format(order.amountCents),
        TransactionReference: order.reference,
        BankReference: order.reference.replace(/[^A-Za-z0-9 -]/g, '').slice(0, 20),
        CancelUrl: order.cancelUrl,
        ErrorUrl: order.errorUrl,
        SuccessUrl: order.successUrl,
        NotifyUrl: order.notifyUrl,
        IsTest: settings.isTest,
      };
      const body = (await call('/PostPaymentRequest', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...fields, HashCheck: ozowRequestHash(fields, settings.privateKey) }),
      })) as { paymentRequestId?: string; url?: string; errorMessage?: string };
      if (!body.url || !body.paymentRequestId) {
        throw new OzowApiError(`Ozow refused the payment request: ${body.errorMessage ?? 'no url'}`);
      }
      return { paymentRequestId: body.paymentRequestId, url: body.url };
    },

    /**
     * The transactions Ozow lists for our reference: one per attempt the buyer made, at most
     * OZOW_MAX_TRANSACTIONS_BY_REFERENCE of them. Asked in the mode we take payments in: with IsTest=true
     * Ozow lists test transactions only, without it live ones only.
     */
    async transactionsByReference(reference: string): Promise<OzowTransaction[]> {
      const query = new URLSearchParams({
        siteCode: settings.siteCode,
        transactionReference: reference,
        IsTest: String(settings.isTest),
      });
      const body = await call(`/GetTransactionByReference?${query}`, { method: 'GET' });
      if (!Array.isArray(body)) throw new OzowApiError('GetTransactionByReference did not answer a list');
      return body.map(parseTransaction);
    },
  };
}
export type OzowClient = ReturnType<typeof createOzowClient>;
