import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import { ozowRequestHash, verifyOzowNotificationHash } from '../../bot/payments/ozow-hash.js';
import { type NotificationReceiver, startNotificationReceiver } from '../payfast/notification-receiver.js';
import { createOzowSandbox } from './create-ozow-sandbox.js';

const site = { siteCode: 'TSTSTE0001', privateKey: '215114531AFF7134A94C88CEEA48E', apiKey: 'api-key-1' };
const otherSite = { siteCode: 'TSTSTE0002', privateKey: 'other-private', apiKey: 'api-key-2' };

describe('Ozow sandbox over HTTP', () => {
  const sandbox = createOzowSandbox({ sites: [site, otherSite], retryDelaysMs: [30, 30, 30] });
  const app = Fastify();
  let base = '';
  let receiver: NotificationReceiver;

  before(async () => {
    await app.register(sandbox.plugin, { prefix: '/ozow' });
    base = `${await app.listen({ host: '127.0.0.1', port: 0 })}/ozow`;
    receiver = await startNotificationReceiver();
  });
  after(async () => {
    await app.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await sandbox.control.settled();
    sandbox.control.reset();
    receiver.received.length = 0;
  });

  function paymentRequest(overrides: Record<string, string | boolean> = {}) {
    const fields = {
      SiteCode: site.siteCode,
      CountryCode: 'ZA',
      CurrencyCode: 'ZAR',
      Amount: '349.00',
      TransactionReference: 'ORD-42',
      BankReference: 'CIPC ORD-42',
      Optional1: 'tok-1',
      Customer: 'Thandi',
      CancelUrl: `${receiver.origin}/cancel`,
      ErrorUrl: `${receiver.origin}/error`,
      SuccessUrl: `${receiver.origin}/success?order=42`,
      NotifyUrl: `${receiver.origin}/webhooks/ozow`,
      IsTest: true,
      ...overrides,
    };
    return { ...fields, HashCheck: ozowRequestHash(fields, site.privateKey) };
  }

  async function postPaymentRequest(body: object, apiKey = site.apiKey) {
    const response = await fetch(`${base}/PostPaymentRequest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ApiKey: apiKey },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string | null> };
  }

  async function payPageUrl(body: object = paymentRequest()): Promise<string> {
    const { status, body: answer } = await postPaymentRequest(body);
    assert.equal(status, 200, JSON.stringify(answer));
    return answer.url ?? '';
  }

  async function choose(pageUrl: string, action: 'pay' | 'cancel' | 'fail') {
    const response = await fetch(pageUrl, {
      method: 'POST',
      body: new URLSearchParams({ action }),
      redirect: 'manual',
    });
    return { status: response.status, location: new URL(response.headers.get('location') ?? 'about:blank') };
  }

  const received = (index = 0) => Object.fromEntries(new URLSearchParams(receiver.received[index]?.rawBody));

  const transactions = async (reference = 'ORD-42', apiKey = site.apiKey, isTest: string | null = 'true') => {
    const query = new URLSearchParams({ siteCode: site.siteCode, transactionReference: reference });
    if (isTest !== null) query.set('IsTest', isTest);
    const response = await fetch(`${base}/GetTransactionByReference?${query}`, {
      headers: { ApiKey: apiKey },
    });
    return {
      status: response.status,
      body: response.status === 200 ? await response.json() : await response.text(),
    };
  };

  it('answers a payment request with a hosted page URL', async () => {
    const { status, body } = await postPaymentRequest(paymentRequest());
    assert.equal(status, 200);
    assert.equal(body.errorMessage, null);
    assert.match(body.url ?? '', new RegExp(`^${base}/pay/${body.paymentRequestId}$`));
    const html = await fetch(body.url ?? '').then((r) => r.text());
    for (const text of ['R 349.00', 'CIPC ORD-42', '>Pay R 349.00</button>', '>Fail</button>']) {
      assert.ok(html.includes(text), text);
    }
  });

  it('accepts camelCase property names and a numeric amount', async () => {
    const signed = paymentRequest({ Amount: '349' });
    const camel = Object.fromEntries(
      Object.entries(signed).map(([k, v]) => [k[0]?.toLowerCase() + k.slice(1), v]),
    );
    assert.equal((await postPaymentRequest({ ...camel, amount: 349 })).status, 200);
  });

  it('refuses bad hashes, API keys and fields', async () => {
    const good = paymentRequest();
    for (const [name, body, apiKey, status, message] of [
      ['tampered amount', { ...good, Amount: '1.00' }, site.apiKey, 400, 'Hash check failed'],
      [
        'wrong private key',
        { ...good, HashCheck: ozowRequestHash(good, 'nope') },
        site.apiKey,
        400,
        'Hash check failed',
      ],
      ['unknown API key', good, 'nope', 401, 'Invalid API key'],
      ['API key of another site', good, otherSite.apiKey, 400, 'Invalid site code'],
      [
        'long bank reference',
        paymentRequest({ BankReference: 'x'.repeat(21) }),
        site.apiKey,
        400,
        'Invalid BankReference',
      ],
      ['zero amount', paymentRequest({ Amount: '0' }), site.apiKey, 400, 'Invalid amount'],
    ] as const) {
      const answer = await postPaymentRequest(body, apiKey);
      assert.equal(answer.status, status, name);
      assert.equal(answer.body.errorMessage, message, name);
      assert.equal(answer.body.url, null, name);
    }
  });

  it('pays: a notification our side verifies, then the buyer goes to SuccessUrl with the result', async () => {
    const { status, location } = await choose(await payPageUrl(), 'pay');
    assert.equal(status, 303);
    assert.equal(`${location.origin}${location.pathname}`, `${receiver.origin}/success`);
    assert.equal(location.searchParams.get('order'), '42');
    assert.equal(location.searchParams.get('Status'), 'Complete');
    assert.equal(
      verifyOzowNotificationHash(Object.fromEntries(location.searchParams), site.privateKey),
      true,
    );

    const notification = received();
    assert.deepEqual(Object.keys(notification), [
      'SiteCode',
      'TransactionId',
      'TransactionReference',
      'Amount',
      'Status',
      'Optional1',
      'Optional2',
      'Optional3',
      'Optional4',
      'Optional5',
      'CurrencyCode',
      'IsTest',
      'StatusMessage',
      'Hash',
    ]);
    assert.equal(verifyOzowNotificationHash(notification, site.privateKey), true);
    assert.deepEqual(
      [notification.TransactionReference, notification.Amount, notification.Status, notification.Optional1],
      ['ORD-42', '349.00', 'Complete', 'tok-1'],
    );
    assert.equal(notification.IsTest, 'true');

    const { body } = await transactions();
    assert.deepEqual(
      (body as Record<string, unknown>[]).map((t) => [t.transactionId, t.status, t.amount]),
      [[notification.TransactionId, 'Complete', 349]],
    );
    assert.equal((await choose(await payPageUrl(), 'pay')).status, 303);
  });

  it('cancel and fail: Cancelled to CancelUrl, Error to ErrorUrl, each notified', async () => {
    const cancelled = await choose(await payPageUrl(), 'cancel');
    assert.equal(cancelled.location.pathname, '/cancel');
    const failed = await choose(await payPageUrl(), 'fail');
    assert.equal(failed.location.pathname, '/error');
    assert.deepEqual([received(0).Status, received(1).Status], ['Cancelled', 'Error']);
    assert.ok([received(0), received(1)].every((n) => verifyOzowNotificationHash(n, site.privateKey)));
  });

  it('does not let a page be paid twice', async () => {
    const page = await payPageUrl();
    await choose(page, 'pay');
    const again = await fetch(page, { method: 'POST', body: new URLSearchParams({ action: 'pay' }) });
    assert.equal(again.status, 409);
  });

  it('retries on a non-2xx answer and records every attempt', async () => {
    receiver.answerWith(503, 500);
    await choose(await payPageUrl(), 'pay');
    await sandbox.control.settled();
    assert.deepEqual(
      sandbox.control.notifications[0]?.attempts.map((a) => a.status),
      [503, 500, 200],
    );
  });

  it('counts 204 as delivered', async () => {
    receiver.answerWith(204);
    await choose(await payPageUrl(), 'pay');
    await sandbox.control.settled();
    assert.equal(sandbox.control.notifications[0]?.attempts.length, 1);
  });

  it('lists only the asked reference of the asking site, and checks the API key', async () => {
    await choose(await payPageUrl(), 'pay');
    assert.deepEqual((await transactions('ORD-other')).body, []);
    assert.equal((await transactions('ORD-42', 'nope')).status, 401);
  });

  it('lists a test transaction only when asked with IsTest=true, and a live one only without it', async () => {
    await choose(await payPageUrl(paymentRequest({ IsTest: true })), 'pay');
    await choose(await payPageUrl(paymentRequest({ IsTest: false })), 'pay');
    const test = received(0).TransactionId;
    const live = received(1).TransactionId;
    const ids = async (isTest: string | null) =>
      ((await transactions('ORD-42', site.apiKey, isTest)).body as { transactionId: string }[]).map(
        (t) => t.transactionId,
      );
    assert.deepEqual(await ids('true'), [test]);
    assert.deepEqual(await ids('false'), [live]);
    assert.deepEqual(await ids(null), [live], 'IsTest defaults to false');
    const upperCase = await fetch(
      `${base}/GetTransactionByReference?SITECODE=${site.siteCode}&TRANSACTIONREFERENCE=ORD-42&istest=TRUE`,
      { headers: { ApiKey: site.apiKey } },
    );
    assert.deepEqual(
      ((await upperCase.json()) as { transactionId: string }[]).map((t) => t.transactionId),
      [test],
      'parameter names in any case',
    );
  });

  it('lists at most 10 transactions for one reference, newest first', async () => {
    for (let attempt = 0; attempt < 12; attempt++) await choose(await payPageUrl(), 'cancel');
    const { body } = await transactions();
    const listed = (body as { transactionId: string }[]).map((t) => t.transactionId);
    const sent = receiver.received.map((r) => new URLSearchParams(r.rawBody).get('TransactionId'));
    assert.deepEqual(listed, sent.slice(2).reverse());
  });

  describe('knobs', () => {
    it('badHash: the notification does not verify', async () => {
      sandbox.control.set({ badHash: true });
      await choose(await payPageUrl(), 'pay');
      assert.equal(verifyOzowNotificationHash(received(), site.privateKey), false);
    });

    it('delayMs: the buyer is on SuccessUrl before the notification arrives', async () => {
      sandbox.control.set({ delayMs: 150 });
      await choose(await payPageUrl(), 'pay');
      assert.equal(receiver.received.length, 0);
      await receiver.waitFor(1);
    });

    it('duplicates: the same notification N times', async () => {
      sandbox.control.set({ duplicates: 2 });
      await choose(await payPageUrl(), 'pay');
      await sandbox.control.settled();
      assert.equal(receiver.received.length, 2);
      assert.equal(receiver.received[0]?.rawBody, receiver.received[1]?.rawBody);
    });

    it('pendingForMs: Pending first (status API agrees), then Complete', async () => {
      sandbox.control.set({ pendingForMs: 200 });
      await choose(await payPageUrl(), 'pay');
      await receiver.waitFor(1);
      assert.equal(received(0).Status, 'Pending');
      assert.equal(((await transactions()).body as { status: string }[])[0]?.status, 'Pending');
      await receiver.waitFor(2);
      assert.equal(received(1).Status, 'Complete');
      assert.equal(((await transactions()).body as { status: string }[])[0]?.status, 'Complete');
      assert.ok([received(0), received(1)].every((n) => verifyOzowNotificationHash(n, site.privateKey)));
    });

    it('pendingInvestigation: the payment ends in PendingInvestigation', async () => {
      sandbox.control.set({ pendingInvestigation: true });
      await choose(await payPageUrl(), 'pay');
      assert.equal(received().Status, 'PendingInvestigation');
      assert.equal(verifyOzowNotificationHash(received(), site.privateKey), true);
    });

    it('wrongAmount: validly signed, but R1.00 short in notification and status API', async () => {
      sandbox.control.set({ wrongAmount: true });
      await choose(await payPageUrl(), 'pay');
      assert.equal(received().Amount, '348.00');
      assert.equal(verifyOzowNotificationHash(received(), site.privateKey), true);
      assert.equal(((await transactions()).body as { amount: number }[])[0]?.amount, 348);
    });

    it('statusApiDown: GetTransactionByReference answers 503', async () => {
      sandbox.control.set({ statusApiDown: true });
      assert.equal((await transactions()).status, 503);
    });
  });
});
