import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import { type PayfastMerchant, payfastCheckoutFields } from '../../bot/payments/payfast-checkout-fields.js';
import {
  payfastItnParameterString,
  verifyPayfastItnSignature,
} from '../../bot/payments/payfast-signature.js';
import { createPayfastSandbox } from './create-payfast-sandbox.js';
import { type NotificationReceiver, startNotificationReceiver } from './notification-receiver.js';

const merchant = { merchantId: '10000100', merchantKey: '46f0cd694581a', passphrase: 'jt7NOE43FZPn' };
const openMerchant = { merchantId: '10000200', merchantKey: 'nopassphrase1' };

describe('PayFast sandbox over HTTP', () => {
  const sandbox = createPayfastSandbox({ merchants: [merchant, openMerchant], retryDelaysMs: [30, 30, 30] });
  const app = Fastify();
  let base = '';
  let receiver: NotificationReceiver;

  before(async () => {
    await app.register(sandbox.plugin, { prefix: '/payfast' });
    base = `${await app.listen({ host: '127.0.0.1', port: 0 })}/payfast`;
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

  function orderFields(
    overrides: Partial<Parameters<typeof payfastCheckoutFields>[1]> = {},
    m: PayfastMerchant = merchant,
  ) {
    return payfastCheckoutFields(m, {
      reference: 'ORD-42',
      amountCents: 34900,
      itemName: 'CIPC annual return 2024',
      itemDescription: 'ACME (PTY) LTD, 2019/123456/07',
      nameFirst: 'Thandi',
      emailAddress: 'thandi@example.co.za',
      customStr1: 'tok en~1',
      returnUrl: `${receiver.origin}/return`,
      cancelUrl: `${receiver.origin}/cancel`,
      notifyUrl: `${receiver.origin}/webhooks/payfast`,
      ...overrides,
    });
  }

  const post = (url: string, form: Record<string, string>) =>
    fetch(url, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });

  /** Posts the checkout form and returns the hosted pay page's URL. */
  async function startCheckout(fields: Record<string, string>): Promise<string> {
    const response = await post(`${base}/eng/process`, fields);
    assert.equal(response.status, 303, await response.text());
    return new URL(response.headers.get('location') ?? '', `${base}/eng/process`).href;
  }

  async function choose(pageUrl: string, action: 'pay' | 'cancel' | 'fail') {
    const response = await post(pageUrl, { action });
    return { status: response.status, location: response.headers.get('location') };
  }

  it('shows the pay page for a correctly signed checkout', async () => {
    const page = await fetch(await startCheckout(orderFields()));
    const html = await page.text();
    assert.equal(page.status, 200);
    for (const text of [
      'CIPC annual return 2024',
      'R 349.00',
      '>Pay R 349.00</button>',
      '>Cancel</button>',
    ]) {
      assert.ok(html.includes(text), text);
    }
  });

  it('refuses a bad checkout with PayFast error pages', async () => {
    const good = orderFields();
    for (const [name, fields, message] of [
      [
        'tampered amount',
        { ...good, amount: '10.00' },
        'Generated signature does not match submitted signature.',
      ],
      ['no signature', { ...good, signature: '' }, 'Generated signature does not match submitted signature.'],
      ['unknown merchant', { ...good, merchant_id: '999' }, 'The supplied merchant ID is invalid.'],
      ['wrong key', { ...good, merchant_key: 'x' }, 'The supplied merchant key is invalid.'],
    ] as const) {
      const response = await post(`${base}/eng/process`, fields);
      assert.equal(response.status, 400, name);
      assert.ok((await response.text()).includes(message), name);
    }
  });

  it('accepts an unsigned checkout from a merchant without passphrase', async () => {
    const { signature: _, ...unsigned } = orderFields({}, openMerchant);
    await startCheckout(unsigned);
    await startCheckout(orderFields({}, openMerchant));
  });

  it('pays: posts a correctly signed ITN in PayFast field order, then returns the buyer', async () => {
    const pageUrl = await startCheckout(orderFields());
    assert.deepEqual(await choose(pageUrl, 'pay'), { status: 303, location: `${receiver.origin}/return` });
    const [itn] = receiver.received;
    assert.ok(itn, 'the ITN arrived before the buyer was sent back');
    assert.equal(itn.path, '/webhooks/payfast');
    assert.equal(verifyPayfastItnSignature(itn.rawBody, merchant.passphrase), true);
    const fields = new URLSearchParams(itn.rawBody);
    assert.deepEqual(
      [...fields.keys()],
      [
        'm_payment_id',
        'pf_payment_id',
        'payment_status',
        'item_name',
        'item_description',
        'amount_gross',
        'amount_fee',
        'amount_net',
        ...[1, 2, 3, 4, 5].map((n) => `custom_str${n}`),
        ...[1, 2, 3, 4, 5].map((n) => `custom_int${n}`),
        'name_first',
        'name_last',
        'email_address',
        'merchant_id',
        'signature',
      ],
    );
    assert.equal(fields.get('m_payment_id'), 'ORD-42');
    assert.equal(fields.get('payment_status'), 'COMPLETE');
    assert.equal(fields.get('amount_gross'), '349.00');
    assert.equal(fields.get('amount_fee'), '-14.22');
    assert.equal(fields.get('amount_net'), '334.78');
    assert.equal(fields.get('custom_str1'), 'tok en~1');
    assert.equal(fields.get('merchant_id'), merchant.merchantId);
    assert.equal(await choose(pageUrl, 'pay').then((r) => r.status), 409, 'a page cannot be paid twice');
  });

  it('confirms its own ITNs on /eng/query/validate and nothing else', async () => {
    await choose(await startCheckout(orderFields()), 'pay');
    const parameterString = payfastItnParameterString(receiver.received[0]?.rawBody ?? '');
    const validate = (body: string) =>
      fetch(`${base}/eng/query/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }).then((r) => r.text());
    assert.equal(await validate(parameterString), 'VALID');
    assert.equal(
      await validate(parameterString.replace('amount_gross=349.00', 'amount_gross=1.00')),
      'INVALID',
    );
    sandbox.control.set({ validateInvalid: true });
    assert.equal(await validate(parameterString), 'INVALID');
  });

  it('retries on a non-200 answer and records every attempt', async () => {
    receiver.answerWith(500, 404);
    await choose(await startCheckout(orderFields()), 'pay');
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 3);
    const [itn] = sandbox.control.itns;
    assert.deepEqual(
      itn?.attempts.map((a) => a.status),
      [500, 404, 200],
    );
    assert.equal(itn?.delivered, true);
  });

  it('gives up after the configured retries', async () => {
    receiver.answerWith(500, 500, 500, 500, 500);
    await choose(await startCheckout(orderFields()), 'pay');
    await sandbox.control.settled();
    assert.equal(sandbox.control.itns[0]?.attempts.length, 4);
    assert.equal(sandbox.control.itns[0]?.delivered, false);
  });

  it('cancel: back to cancel_url without an ITN; fail: a FAILED ITN', async () => {
    assert.deepEqual(await choose(await startCheckout(orderFields()), 'cancel'), {
      status: 303,
      location: `${receiver.origin}/cancel`,
    });
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 0);
    assert.deepEqual(await choose(await startCheckout(orderFields()), 'fail'), {
      status: 303,
      location: `${receiver.origin}/cancel`,
    });
    assert.equal(new URLSearchParams(receiver.received[0]?.rawBody).get('payment_status'), 'FAILED');
  });

  describe('knobs', () => {
    it('badSignature: the ITN does not verify', async () => {
      sandbox.control.set({ badSignature: true });
      await choose(await startCheckout(orderFields()), 'pay');
      assert.equal(
        verifyPayfastItnSignature(receiver.received[0]?.rawBody ?? '', merchant.passphrase),
        false,
      );
    });

    it('delayMs: the buyer is back before the ITN arrives', async () => {
      sandbox.control.set({ delayMs: 150 });
      const started = Date.now();
      await choose(await startCheckout(orderFields()), 'pay');
      assert.equal(receiver.received.length, 0);
      const [itn] = await receiver.waitFor(1);
      assert.ok((itn?.at ?? 0) - started >= 150);
    });

    it('duplicates: the same ITN arrives N times', async () => {
      sandbox.control.set({ duplicates: 3 });
      await choose(await startCheckout(orderFields()), 'pay');
      await sandbox.control.settled();
      const bodies = receiver.received.map((r) => r.rawBody);
      assert.equal(bodies.length, 3);
      assert.equal(new Set(bodies).size, 1);
    });

    it('outOfOrder: a stale PENDING follows COMPLETE, both validly signed', async () => {
      sandbox.control.set({ outOfOrder: true });
      await choose(await startCheckout(orderFields()), 'pay');
      await sandbox.control.settled();
      assert.deepEqual(
        receiver.received.map((r) => new URLSearchParams(r.rawBody).get('payment_status')),
        ['COMPLETE', 'PENDING'],
      );
      assert.ok(receiver.received.every((r) => verifyPayfastItnSignature(r.rawBody, merchant.passphrase)));
    });

    it('sourceAddress: ITNs leave from that address, as from a PayFast server the merchant does not list', async () => {
      sandbox.control.set({ sourceAddress: '127.0.0.2' });
      await choose(await startCheckout(orderFields()), 'pay');
      assert.equal(receiver.received[0]?.remoteAddress, '127.0.0.2');
      sandbox.control.reset();
      await choose(await startCheckout(orderFields()), 'pay');
      assert.equal(receiver.received[1]?.remoteAddress, '127.0.0.1');
    });
  });

  it('replays a captured ITN as its own: delivered as it was captured, then VALID on /eng/query/validate', async () => {
    // PayFast's PHP SDK test ITN (tests/PaymentIntegrations/NotificationTest.php), as PayFast form-encodes it.
    const captured =
      'm_payment_id=1234&pf_payment_id=1221576&payment_status=COMPLETE&item_name=Order%23123&item_description=' +
      '&amount_gross=10.00&amount_fee=-0.23&amount_net=9.77&custom_str1=&custom_str2=&custom_str3=&custom_str4=' +
      '&custom_str5=&custom_int1=&custom_int2=&custom_int3=&custom_int4=&custom_int5=&name_first=First' +
      '&name_last=Last&email_address=test%40test.com&merchant_id=10000100&signature=ac4c3e993d31b5b9d525dc0087051437';
    const validate = (body: string) =>
      fetch(`${base}/eng/query/validate`, { method: 'POST', body }).then((r) => r.text());
    const parameterString = payfastItnParameterString(captured);
    assert.equal(await validate(parameterString), 'INVALID', 'unknown before the replay');
    await sandbox.control.replay(`${receiver.origin}/webhooks/payfast`, captured);
    assert.equal(receiver.received[0]?.rawBody, captured);
    assert.equal(await validate(parameterString), 'VALID');
    assert.deepEqual(
      [sandbox.control.itns[0]?.pfPaymentId, sandbox.control.itns[0]?.paymentStatus],
      ['1221576', 'COMPLETE'],
    );
  });
});
