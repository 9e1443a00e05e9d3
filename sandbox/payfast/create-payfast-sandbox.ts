import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { createFormDeliverer, type FormDelivery } from './form-deliverer.js';
import { escapeHtml, htmlPage } from './html-page.js';
import { payPage } from './pay-page.js';
import { signPairs } from './sign-pairs.js';

export interface PayfastSandboxMerchant {
  merchantId: string;
  merchantKey: string;
  passphrase?: string;
  name?: string;
}

export interface PayfastKnobs {
  /** ITNs carry a wrong signature. */
  badSignature: boolean;
  /** The browser is sent back at once and the first ITN leaves this many ms later. */
  delayMs: number;
  /** Each ITN is sent this many times (PayFast does repeat itself). */
  duplicates: number;
  /** A stale PENDING ITN follows the COMPLETE one, as when an instant EFT settles fast. */
  outOfOrder: boolean;
  /** /eng/query/validate answers INVALID whatever is posted. */
  validateInvalid: boolean;
  /**
   * The local address ITNs leave from, e.g. '127.0.0.2' (Linux routes all of 127/8 to loopback): PayFast
   * sending from an address the merchant does not list. Unset: the OS picks (127.0.0.1 towards loopback).
   */
  sourceAddress?: string;
}

export interface SentItn extends FormDelivery {
  pfPaymentId: string;
  paymentStatus: string;
  fields: [string, string][];
  parameterString: string;
}

export interface PayfastSandboxOptions {
  merchants: PayfastSandboxMerchant[];
  now?: () => Date;
  /** Retry waits after a non-200 answer; PayFast's are immediately, 10 minutes, then longer. */
  retryDelaysMs?: number[];
  /** PayFast's fee for a payment, in cents (shown as a negative amount_fee). */
  feeCents?: (amountCents: number) => number;
}

const DEFAULT_KNOBS: PayfastKnobs = {
  badSignature: false,
  delayMs: 0,
  duplicates: 1,
  outOfOrder: false,
  validateInvalid: false,
  sourceAddress: undefined,
};

// Checkout fields PayFast signs, in its order (DOMAIN.md).
const CHECKOUT_ORDER = [
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
  ...[1, 2, 3, 4, 5].map((n) => `custom_int${n}`),
  ...[1, 2, 3, 4, 5].map((n) => `custom_str${n}`),
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
];

interface Checkout {
  pageId: string;
  pfPaymentId: string;
  merchant: PayfastSandboxMerchant;
  fields: Map<string, string>;
  amountCents: number;
  state: 'open' | 'paid' | 'cancelled' | 'failed';
}

const formatCents = (cents: number) =>
  `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

function parseCents(amount: string): number | undefined {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
}

const defaultFee = (amountCents: number) => Math.round(amountCents * 0.035) + 200;

/** The posted pairs PayFast signs and validates: every field in order, up to `signature`. */
function fieldsBeforeSignature(body: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, value] of new URLSearchParams(body)) {
    if (key === 'signature') break;
    pairs.push([key, value]);
  }
  return pairs;
}

function errorPage(reply: FastifyReply, message: string, status = 400) {
  return reply
    .code(status)
    .type('text/html')
    .send(
      htmlPage(
        'PayFast: error',
        `<h1>Unable to process payment</h1><p role="alert">${escapeHtml(message)}</p>`,
      ),
    );
}

/**
 * A stand-in for PayFast's redirect integration: /eng/process (checkout form), a hosted pay page, ITNs
 * posted to notify_url with retries, and /eng/query/validate. Mount it at any prefix.
 */
export function createPayfastSandbox(options: PayfastSandboxOptions) {
  const now = options.now ?? (() => new Date());
  const feeCents = options.feeCents ?? defaultFee;
  const deliverer = createFormDeliverer({
    retryDelaysMs: options.retryDelaysMs ?? [1_000, 10_000, 60_000],
    accepts: (status) => status === 200,
    now,
  });
  const checkouts = new Map<string, Checkout>();
  const itns: SentItn[] = [];
  const knobs: PayfastKnobs = { ...DEFAULT_KNOBS };
  let nextPaymentId = 1_089_250;

  function checkoutProblem(fields: Map<string, string>): string | PayfastSandboxMerchant {
    const merchant = options.merchants.find((m) => m.merchantId === fields.get('merchant_id'));
    if (!merchant) return 'The supplied merchant ID is invalid.';
    if (merchant.merchantKey !== fields.get('merchant_key')) return 'The supplied merchant key is invalid.';
    const amount = parseCents(fields.get('amount') ?? '');
    if (amount === undefined || amount < 500) return 'Amount must be at least R5.00.';
    if (!fields.get('item_name')?.trim()) return 'item_name is required.';
    const posted = fields.get('signature');
    if (merchant.passphrase || posted !== undefined) {
      const pairs = CHECKOUT_ORDER.flatMap((key): [string, string][] => {
        const value = fields.get(key);
        return value === undefined || value === '' ? [] : [[key, value.trim()]];
      });
      if (signPairs(pairs, merchant.passphrase).signature !== posted?.trim().toLowerCase()) {
        return 'Generated signature does not match submitted signature.';
      }
    }
    return merchant;
  }

  function itnPairs(checkout: Checkout, paymentStatus: string): [string, string][] {
    const field = (key: string) => checkout.fields.get(key)?.trim() ?? '';
    const fee = feeCents(checkout.amountCents);
    return [
      ['m_payment_id', field('m_payment_id')],
      ['pf_payment_id', checkout.pfPaymentId],
      ['payment_status', paymentStatus],
      ['item_name', field('item_name')],
      ['item_description', field('item_description')],
      ['amount_gross', formatCents(checkout.amountCents)],
      ['amount_fee', formatCents(-fee)],
      ['amount_net', formatCents(checkout.amountCents - fee)],
      ...[1, 2, 3, 4, 5].map((n): [string, string] => [`custom_str${n}`, field(`custom_str${n}`)]),
      ...[1, 2, 3, 4, 5].map((n): [string, string] => [`custom_int${n}`, field(`custom_int${n}`)]),
      ['name_first', field('name_first')],
      ['name_last', field('name_last')],
      ['email_address', field('email_address')],
      ['merchant_id', checkout.merchant.merchantId],
    ];
  }

  function itnFor(checkout: Checkout, paymentStatus: string): SentItn {
    const fields = itnPairs(checkout, paymentStatus);
    const { parameterString, signature } = signPairs(fields, checkout.merchant.passphrase);
    const sent = knobs.badSignature ? signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) : signature;
    return {
      pfPaymentId: checkout.pfPaymentId,
      paymentStatus,
      fields,
      parameterString,
      url: checkout.fields.get('notify_url') ?? '',
      body: `${parameterString}&signature=${sent}`,
      from: knobs.sourceAddress,
      attempts: [],
      delivered: false,
    };
  }

  /** Sends each ITN (times `duplicates`), one after the other; resolves after their first attempts. */
  async function notify(checkout: Checkout, statuses: string[]): Promise<void> {
    if (!checkout.fields.get('notify_url')) return;
    let delayMs = knobs.delayMs;
    for (const status of statuses) {
      for (let copy = 0; copy < Math.max(1, knobs.duplicates); copy++) {
        const itn = itnFor(checkout, status);
        itns.push(itn);
        await deliverer.send(itn, delayMs);
        delayMs = 0;
      }
    }
  }

  const plugin: FastifyPluginAsync = async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    app.addHook('onClose', async () => deliverer.close());

    app.post('/eng/process', async (request, reply) => {
      const fields = new Map(new URLSearchParams(String(request.body ?? '')));
      const problem = checkoutProblem(fields);
      if (typeof problem === 'string') return errorPage(reply, problem);
      const checkout: Checkout = {
        pageId: randomUUID(),
        pfPaymentId: String(nextPaymentId++),
        merchant: problem,
        fields,
        amountCents: parseCents(fields.get('amount') ?? '') ?? 0,
        state: 'open',
      };
      checkouts.set(checkout.pageId, checkout);
      return reply.redirect(`process/payment/${checkout.pageId}`, 303);
    });

    app.get<{ Params: { id: string } }>('/eng/process/payment/:id', async (request, reply) => {
      const checkout = checkouts.get(request.params.id);
      if (!checkout) return errorPage(reply, 'This payment session has expired.', 404);
      if (checkout.state !== 'open') return errorPage(reply, 'This payment has already been processed.', 409);
      return reply.type('text/html').send(
        payPage({
          provider: 'PayFast',
          merchantName: checkout.merchant.name ?? `Merchant ${checkout.merchant.merchantId}`,
          itemName: checkout.fields.get('item_name') ?? '',
          itemDescription: checkout.fields.get('item_description'),
          amount: formatCents(checkout.amountCents),
          action: request.url,
        }),
      );
    });

    app.post<{ Params: { id: string } }>('/eng/process/payment/:id', async (request, reply) => {
      const checkout = checkouts.get(request.params.id);
      if (!checkout) return errorPage(reply, 'This payment session has expired.', 404);
      if (checkout.state !== 'open') return errorPage(reply, 'This payment has already been processed.', 409);
      const action = new URLSearchParams(String(request.body ?? '')).get('action');
      const returnUrl = checkout.fields.get('return_url');
      const cancelUrl = checkout.fields.get('cancel_url');
      if (action === 'pay') {
        checkout.state = 'paid';
        const sending = deliverer.track(
          notify(checkout, knobs.outOfOrder ? ['COMPLETE', 'PENDING'] : ['COMPLETE']),
        );
        if (knobs.delayMs === 0) await sending;
        return returnUrl
          ? reply.redirect(returnUrl, 303)
          : reply.type('text/html').send(htmlPage('Paid', '<h1>Payment successful</h1>'));
      }
      if (action === 'cancel' || action === 'fail') {
        checkout.state = action === 'cancel' ? 'cancelled' : 'failed';
        // PayFast sends no ITN when the buyer cancels; a declined payment is reported as FAILED.
        if (action === 'fail') await deliverer.track(notify(checkout, ['FAILED']));
        return cancelUrl
          ? reply.redirect(cancelUrl, 303)
          : reply.type('text/html').send(htmlPage('Cancelled', '<h1>Payment cancelled</h1>'));
      }
      return errorPage(reply, 'Unknown action.');
    });

    app.post('/eng/query/validate', async (request, reply) => {
      const { parameterString } = signPairs(fieldsBeforeSignature(String(request.body ?? '')));
      const valid = !knobs.validateInvalid && itns.some((itn) => itn.parameterString === parameterString);
      return reply.type('text/plain').send(valid ? 'VALID' : 'INVALID');
    });
  };

  const control = {
    knobs: knobs as Readonly<PayfastKnobs>,
    set(changes: Partial<PayfastKnobs>): void {
      Object.assign(knobs, changes);
    },
    /** Knobs back to normal and the records emptied. */
    reset(): void {
      Object.assign(knobs, DEFAULT_KNOBS);
      itns.length = 0;
      checkouts.clear();
    },
    /** Every ITN sent, in order, with each attempt's answer. */
    itns: itns as readonly SentItn[],
    /**
     * Sends a captured ITN body (signature and all, e.g. a fixture from PayFast's own tests) to `url` as if
     * this sandbox had made that payment: delivered like its own (delayMs, sourceAddress, retries), and
     * /eng/query/validate confirms it from then on. Resolves after the first attempt.
     */
    replay(url: string, body: string): Promise<void> {
      const fields = fieldsBeforeSignature(body);
      const value = (key: string) => fields.find(([name]) => name === key)?.[1] ?? '';
      const itn: SentItn = {
        pfPaymentId: value('pf_payment_id'),
        paymentStatus: value('payment_status'),
        fields,
        parameterString: signPairs(fields).parameterString,
        url,
        body,
        from: knobs.sourceAddress,
        attempts: [],
        delivered: false,
      };
      itns.push(itn);
      return deliverer.send(itn, knobs.delayMs);
    },
    /** Resolves when no ITN is waiting to be sent or retried. */
    settled: () => deliverer.settled(),
  };
  return { plugin, control };
}
