import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createFormDeliverer, type FormDelivery } from '../payfast/form-deliverer.js';
import { escapeHtml, htmlPage } from '../payfast/html-page.js';
import { payPage } from '../payfast/pay-page.js';
import { ozowSandboxHash } from './ozow-sandbox-hash.js';

export interface OzowSandboxSite {
  siteCode: string;
  privateKey: string;
  apiKey: string;
  name?: string;
}

export type OzowStatus =
  | 'Complete'
  | 'Cancelled'
  | 'Error'
  | 'Abandoned'
  | 'PendingInvestigation'
  | 'Pending';

export interface OzowKnobs {
  /** Notifications carry a wrong Hash. */
  badHash: boolean;
  /** The browser is sent on at once and the first notification leaves this many ms later. */
  delayMs: number;
  /** Each notification is sent this many times. */
  duplicates: number;
  /** When > 0, Pay reports Pending first and Complete this many ms later (status API follows). */
  pendingForMs: number;
  /** Pay ends in PendingInvestigation instead of Complete. */
  pendingInvestigation: boolean;
  /** The bank paid R1.00 less than requested (notification and status API agree, hash valid). */
  wrongAmount: boolean;
  /** GetTransactionByReference answers 503. */
  statusApiDown: boolean;
}

export interface SentOzowNotification extends FormDelivery {
  transactionId: string;
  status: OzowStatus;
  fields: [string, string][];
}

export interface OzowSandboxOptions {
  sites: OzowSandboxSite[];
  now?: () => Date;
  /** Retry waits after a non-2xx answer. */
  retryDelaysMs?: number[];
}

const DEFAULT_KNOBS: OzowKnobs = {
  badHash: false,
  delayMs: 0,
  duplicates: 1,
  pendingForMs: 0,
  pendingInvestigation: false,
  wrongAmount: false,
  statusApiDown: false,
};

const REQUEST_ORDER = [
  'SiteCode',
  'CountryCode',
  'CurrencyCode',
  'Amount',
  'TransactionReference',
  'BankReference',
  'Optional1',
  'Optional2',
  'Optional3',
  'Optional4',
  'Optional5',
  'Customer',
  'CancelUrl',
  'ErrorUrl',
  'SuccessUrl',
  'NotifyUrl',
  'IsTest',
] as const;
type RequestFields = Record<(typeof REQUEST_ORDER)[number] | 'HashCheck', string>;
const OPTIONALS = ['Optional1', 'Optional2', 'Optional3', 'Optional4', 'Optional5'] as const;

const STATUS_MESSAGES: Record<OzowStatus, string> = {
  Complete: 'Test transaction completed',
  Cancelled: 'Cancelled by user',
  Error: 'Payment failed at the bank',
  Abandoned: 'Abandoned by user',
  PendingInvestigation: 'Transaction under investigation',
  Pending: 'Awaiting bank confirmation',
};

interface Transaction {
  paymentRequestId: string;
  transactionId: string;
  site: OzowSandboxSite;
  /** The request's fields under Ozow's names, as strings. */
  request: RequestFields;
  amountCents: number;
  paidCents: number;
  status?: OzowStatus;
  createdDate: Date;
  /** Creation order, so transactions created within one millisecond still list newest first. */
  sequence: number;
  paymentDate?: Date;
}

const formatCents = (cents: number) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

function toCents(amount: string): number | undefined {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  const cents = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : 0;
  return cents > 0 ? cents : undefined;
}

/** Ozow: "The number of results returned are limited to 10." */
const MAX_TRANSACTIONS_BY_REFERENCE = 10;

/**
 * Ozow's API (ASP.NET) binds JSON properties and query parameters whatever their case: the value named
 * `name` in any case, as trimmed text ('' when absent or null).
 */
function anyCase(record: unknown): (name: string) => string {
  const byLowerName = new Map(
    Object.entries(typeof record === 'object' && record ? record : {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return (name) => {
    const value = byLowerName.get(name.toLowerCase());
    return value === undefined || value === null ? '' : String(value).trim();
  };
}

/** A payment request's fields under Ozow's spelling. */
function requestFields(body: unknown): RequestFields {
  const field = anyCase(body);
  const fields = Object.fromEntries([...REQUEST_ORDER, 'HashCheck'].map((name) => [name, field(name)]));
  return {
    ...(fields as RequestFields),
    IsTest: field('IsTest').toLowerCase() === 'true' ? 'true' : 'false',
  };
}

function withQuery(url: string, pairs: [string, string][]): string {
  const target = new URL(url);
  for (const [key, value] of pairs) target.searchParams.append(key, value);
  return target.href;
}

/**
 * A stand-in for Ozow: PostPaymentRequest (payment links), a hosted pay page, notifications posted to
 * NotifyUrl with retries, and GetTransactionByReference. Mount it at any prefix.
 */
export function createOzowSandbox(options: OzowSandboxOptions) {
  const now = options.now ?? (() => new Date());
  const deliverer = createFormDeliverer({
    retryDelaysMs: options.retryDelaysMs ?? [1_000, 10_000, 60_000],
    accepts: (status) => status >= 200 && status < 300,
    now,
  });
  const transactions = new Map<string, Transaction>();
  const notifications: SentOzowNotification[] = [];
  const knobs: OzowKnobs = { ...DEFAULT_KNOBS };

  const siteByApiKey = (request: FastifyRequest) =>
    options.sites.find((site) => site.apiKey === request.headers.apikey);

  function requestProblem(fields: RequestFields, site: OzowSandboxSite): string | undefined {
    if (fields.SiteCode !== site.siteCode) return 'Invalid site code';
    if (fields.CountryCode.toUpperCase() !== 'ZA') return 'Invalid country code';
    if (fields.CurrencyCode.toUpperCase() !== 'ZAR') return 'Invalid currency code';
    if (!fields.TransactionReference) return 'TransactionReference is required';
    if (!/^[A-Za-z0-9 -]{1,20}$/.test(fields.BankReference)) return 'Invalid BankReference';
    for (const url of ['CancelUrl', 'ErrorUrl', 'SuccessUrl', 'NotifyUrl'] as const) {
      if (fields[url] && !URL.canParse(fields[url])) return `Invalid ${url}`;
    }
    const expected = ozowSandboxHash(
      REQUEST_ORDER.map((name) => fields[name]),
      site.privateKey,
    );
    return expected === fields.HashCheck.toLowerCase() ? undefined : 'Hash check failed';
  }

  function notificationPairs(transaction: Transaction, status: OzowStatus): [string, string][] {
    const { request, site } = transaction;
    const pairs: [string, string][] = [
      ['SiteCode', site.siteCode],
      ['TransactionId', transaction.transactionId],
      ['TransactionReference', request.TransactionReference],
      ['Amount', formatCents(transaction.paidCents)],
      ['Status', status],
      ...OPTIONALS.map((name): [string, string] => [name, request[name]]),
      ['CurrencyCode', 'ZAR'],
      ['IsTest', request.IsTest],
      ['StatusMessage', STATUS_MESSAGES[status]],
    ];
    const hash = ozowSandboxHash(
      pairs.map(([, value]) => value),
      site.privateKey,
    );
    return [...pairs, ['Hash', knobs.badHash ? hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) : hash]];
  }

  async function notify(transaction: Transaction, status: OzowStatus, delayMs: number): Promise<void> {
    transaction.status = status;
    if (status === 'Complete') transaction.paymentDate = now();
    const url = transaction.request.NotifyUrl;
    if (!url) return;
    for (let copy = 0; copy < Math.max(1, knobs.duplicates); copy++) {
      const fields = notificationPairs(transaction, status);
      const sent: SentOzowNotification = {
        transactionId: transaction.transactionId,
        status,
        fields,
        url,
        body: new URLSearchParams(fields).toString(),
        attempts: [],
        delivered: false,
      };
      notifications.push(sent);
      await deliverer.send(sent, copy === 0 ? delayMs : 0);
    }
  }

  async function settle(transaction: Transaction, outcome: OzowStatus): Promise<void> {
    if (outcome !== 'Complete' || knobs.pendingForMs === 0)
      return notify(transaction, outcome, knobs.delayMs);
    await notify(transaction, 'Pending', knobs.delayMs);
    await new Promise((resolve) => setTimeout(resolve, knobs.pendingForMs));
    await notify(transaction, 'Complete', 0);
  }

  function errorPage(reply: FastifyReply, message: string, status: number) {
    return reply
      .code(status)
      .type('text/html')
      .send(
        htmlPage('Ozow: error', `<h1>Payment unavailable</h1><p role="alert">${escapeHtml(message)}</p>`),
      );
  }

  const plugin: FastifyPluginAsync = async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    app.addHook('onClose', async () => deliverer.close());

    app.post('/PostPaymentRequest', async (request, reply) => {
      const site = siteByApiKey(request);
      if (!site)
        return reply.code(401).send({ paymentRequestId: null, url: null, errorMessage: 'Invalid API key' });
      const fields = requestFields(request.body);
      const amountCents = toCents(fields.Amount);
      if (amountCents === undefined) {
        return reply.code(400).send({ paymentRequestId: null, url: null, errorMessage: 'Invalid amount' });
      }
      fields.Amount = formatCents(amountCents);
      const problem = requestProblem(fields, site);
      if (problem) return reply.code(400).send({ paymentRequestId: null, url: null, errorMessage: problem });
      const transaction: Transaction = {
        paymentRequestId: randomUUID(),
        transactionId: randomUUID(),
        site,
        request: fields,
        amountCents,
        paidCents: amountCents,
        createdDate: now(),
        sequence: transactions.size,
      };
      transactions.set(transaction.paymentRequestId, transaction);
      const url = new URL(
        `pay/${transaction.paymentRequestId}`,
        `${request.protocol}://${request.host}${request.url}`,
      );
      return { paymentRequestId: transaction.paymentRequestId, url: url.href, errorMessage: null };
    });

    app.get<{ Params: { id: string } }>('/pay/:id', async (request, reply) => {
      const transaction = transactions.get(request.params.id);
      if (!transaction) return errorPage(reply, 'This payment request does not exist.', 404);
      if (transaction.status) return errorPage(reply, 'This payment has already been processed.', 409);
      return reply.type('text/html').send(
        payPage({
          provider: 'Ozow',
          merchantName: transaction.site.name ?? transaction.site.siteCode,
          itemName: `Payment reference ${transaction.request.BankReference}`,
          amount: formatCents(transaction.amountCents),
          action: request.url,
        }),
      );
    });

    app.post<{ Params: { id: string } }>('/pay/:id', async (request, reply) => {
      const transaction = transactions.get(request.params.id);
      if (!transaction) return errorPage(reply, 'This payment request does not exist.', 404);
      if (transaction.status) return errorPage(reply, 'This payment has already been processed.', 409);
      const action = new URLSearchParams(String(request.body ?? '')).get('action');
      const outcomes: Record<string, [OzowStatus, 'SuccessUrl' | 'CancelUrl' | 'ErrorUrl']> = {
        pay: [knobs.pendingInvestigation ? 'PendingInvestigation' : 'Complete', 'SuccessUrl'],
        cancel: ['Cancelled', 'CancelUrl'],
        fail: ['Error', 'ErrorUrl'],
      };
      const outcome = action ? outcomes[action] : undefined;
      if (!outcome) return errorPage(reply, 'Unknown action.', 400);
      const [status, urlField] = outcome;
      if (action === 'pay' && knobs.wrongAmount)
        transaction.paidCents = Math.max(1, transaction.amountCents - 100);
      transaction.status = knobs.pendingForMs > 0 && status === 'Complete' ? 'Pending' : status;
      const sending = deliverer.track(settle(transaction, status));
      if (knobs.delayMs === 0 && knobs.pendingForMs === 0) await sending;
      const target = transaction.request[urlField];
      if (!target)
        return reply.type('text/html').send(htmlPage('Ozow', `<h1>${escapeHtml(transaction.status)}</h1>`));
      // Ozow sends the buyer on with the notification's fields (and Hash) in the query string.
      return reply.redirect(withQuery(target, notificationPairs(transaction, transaction.status)), 303);
    });

    app.get('/GetTransactionByReference', async (request, reply) => {
      if (knobs.statusApiDown) return reply.code(503).type('text/plain').send('Service Unavailable');
      const query = anyCase(request.query);
      const site = siteByApiKey(request);
      if (!site || site.siteCode !== query('siteCode')) {
        return reply.code(401).send({ errorMessage: 'Invalid API key or site code' });
      }
      // Ozow: "IsTest ... Defaults to false. Use true only to get results for test requests." A test
      // transaction is listed only when asked with IsTest=true, a live one only without it.
      const isTest = query('IsTest').toLowerCase() === 'true';
      return [...transactions.values()]
        .filter(
          (t) =>
            t.site === site &&
            t.status &&
            t.request.TransactionReference === query('transactionReference') &&
            (t.request.IsTest === 'true') === isTest,
        )
        .sort((a, b) => b.createdDate.getTime() - a.createdDate.getTime() || b.sequence - a.sequence)
        .slice(0, MAX_TRANSACTIONS_BY_REFERENCE)
        .map((t) => ({
          transactionId: t.transactionId,
          merchantCode: site.siteCode.slice(0, 3),
          siteCode: site.siteCode,
          transactionReference: t.request.TransactionReference,
          currencyCode: 'ZAR',
          amount: t.paidCents / 100,
          status: t.status,
          statusMessage: t.status ? STATUS_MESSAGES[t.status] : '',
          createdDate: t.createdDate.toISOString(),
          paymentDate: t.paymentDate?.toISOString() ?? null,
          isTest: t.request.IsTest === 'true',
        }));
    });
  };

  const control = {
    knobs: knobs as Readonly<OzowKnobs>,
    set(changes: Partial<OzowKnobs>): void {
      Object.assign(knobs, changes);
    },
    /** Knobs back to normal and the records emptied. */
    reset(): void {
      Object.assign(knobs, DEFAULT_KNOBS);
      notifications.length = 0;
      transactions.clear();
    },
    /** Every notification sent, in order, with each attempt's answer. */
    notifications: notifications as readonly SentOzowNotification[],
    /** Resolves when no notification is waiting to be sent or retried. */
    settled: () => deliverer.settled(),
  };
  return { plugin, control };
}
