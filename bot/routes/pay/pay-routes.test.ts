import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatRand } from '../../../flows/cipc/index.js';
import { payfastCheckoutSignature } from '../../payments/payfast-signature.js';
import { seedUnpaidOrder } from './testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from './testing/start-payment-world.js';

const inputs = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, k, v]) => [
      k as string,
      (v as string).replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"'),
    ]),
  );

describe('pay page', () => {
  let world: PaymentWorld;
  before(async () => {
    world = await startPaymentWorld();
  });
  after(async () => world.close());
  const get = (path: string) => fetch(`${world.url}${path}`, { redirect: 'manual' });

  it('shows the company, each year’s CIPC fee, the service fee and the total, and both ways to pay', async () => {
    const order = await seedUnpaidOrder(world.db);
    const response = await get(`/pay/${order.payToken}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const html = await response.text();
    assert.match(html, /ACME TRADING \(PTY\) LTD/);
    assert.match(html, /name="viewport"/);
    for (const expected of [
      `CIPC annual return 2023 <span class="muted">(late)</span></td><td>${formatRand(15_000)}`,
      `CIPC annual return 2024</td><td>${formatRand(45_000)}`,
      `Service fee</td><td>${formatRand(19_900)}`,
      `Total</td><td>${formatRand(79_900)}`,
    ]) {
      assert.ok(html.includes(expected), expected);
    }
    assert.match(
      html,
      new RegExp(`href="/pay/${order.payToken}/payfast">Pay with card or EFT \\(PayFast\\)`),
    );
    assert.match(html, new RegExp(`href="/pay/${order.payToken}/ozow">Pay with instant EFT \\(Ozow\\)`));
  });

  it('answers PayFast’s checkout as an auto-submitting form with the signed fields', async () => {
    const order = await seedUnpaidOrder(world.db);
    const html = await (await get(`/pay/${order.payToken}/payfast`)).text();
    assert.match(html, new RegExp(`action="${world.config.payfast.url}/eng/process"`));
    assert.match(html, /\.submit\(\)/);
    const fields = inputs(html);
    assert.equal(fields.m_payment_id, order.reference);
    assert.equal(fields.amount, '799.00');
    assert.equal(fields.merchant_id, world.config.payfast.merchantId);
    assert.equal(fields.notify_url, `${world.url}/webhooks/payfast`);
    assert.equal(fields.return_url, `${world.url}/pay/${order.payToken}/return?provider=payfast`);
    assert.equal(fields.cancel_url, `${world.url}/pay/${order.payToken}/cancelled?provider=payfast`);
    assert.ok(fields.item_name);
    const { signature, ...signed } = fields;
    assert.equal(signature, payfastCheckoutSignature(signed, world.config.payfast.passphrase));
  });

  const unpayable: {
    name: string;
    seed: Parameters<typeof seedUnpaidOrder>[1];
    status: number;
    text: RegExp;
  }[] = [
    {
      name: 'expired',
      seed: { payTokenExpiresAt: new Date(Date.now() - 1000) },
      status: 410,
      text: /expired/,
    },
    { name: 'marked expired', seed: { status: 'expired' }, status: 410, text: /expired/ },
    {
      name: 'already paid',
      seed: { status: 'paid' },
      status: 409,
      text: /Already paid.*not be charged again/s,
    },
    { name: 'with a person', seed: { status: 'needs_agent' }, status: 409, text: /One of our team/ },
  ];
  for (const { name, seed, status, text } of unpayable) {
    it(`refuses to start a second charge for an order that is ${name} (${status})`, async () => {
      const order = await seedUnpaidOrder(world.db, seed);
      for (const provider of ['payfast', 'ozow']) {
        const response = await get(`/pay/${order.payToken}/${provider}`);
        assert.equal(response.status, status);
        assert.match(await response.text(), text);
      }
      assert.equal(world.ozow.notifications.length + world.payfast.itns.length, 0);
    });
  }

  it('answers the pay page of an unknown, expired and paid link with a clear page', async () => {
    const expired = await seedUnpaidOrder(world.db, { payTokenExpiresAt: new Date(Date.now() - 1) });
    const paid = await seedUnpaidOrder(world.db, { status: 'filing' });
    const cases = [
      ['/pay/not-a-real-token-at-all', 404, /Payment link not found/],
      [`/pay/${expired.payToken}`, 410, /This payment link has expired.*Nothing was charged/s],
      [`/pay/${paid.payToken}`, 200, /Payment received.*R799\.00/s],
      ['/pay/not-a-real-token-at-all/payfast', 404, /Payment link not found/],
      ['/pay/not-a-real-token-at-all/ozow', 404, /Payment link not found/],
    ] as const;
    for (const [path, status, text] of cases) {
      const response = await get(path);
      assert.equal(response.status, status, path);
      assert.match(await response.text(), text, path);
    }
  });

  it('says what happens next on the return and cancel pages', async () => {
    const order = await seedUnpaidOrder(world.db);
    const back = await get(`/pay/${order.payToken}/return?provider=payfast`);
    assert.equal(back.status, 200);
    assert.match(await back.text(), /confirming your payment.*WhatsApp message/s);
    const cancelled = await (await get(`/pay/${order.payToken}/cancelled?provider=ozow`)).text();
    assert.match(cancelled, /Payment cancelled.*No payment was taken.*Back to payment options/s);
    const failed = await (await get(`/pay/${order.payToken}/cancelled?provider=ozow&reason=error`)).text();
    assert.match(failed, /did not go through/);
  });

  it('shows a clear page when Ozow refuses the payment request, and charges nothing', async () => {
    const order = await seedUnpaidOrder(world.db);
    const realKey = world.config.ozow.apiKey;
    world.config.ozow.apiKey = 'wrong-key';
    try {
      const response = await get(`/pay/${order.payToken}/ozow`);
      assert.equal(response.status, 502);
      assert.match(await response.text(), /Ozow is not available.*Nothing was charged/s);
    } finally {
      world.config.ozow.apiKey = realKey;
    }
  });
});
