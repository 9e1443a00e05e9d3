import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversations, orders } from '../../../db/schema.js';
import { isSealedBytes, openStoredBytes } from '../../../db/seal-bytes.js';
import { EVENT_PAYLOAD_VERSION } from '../../../db/store-event.js';
import { signPairs } from '../../../sandbox/payfast/sign-pairs.js';
import { verifyPayfastItnSignature } from '../../payments/payfast-signature.js';
import { seedUnpaidOrder } from '../pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../pay/testing/start-payment-world.js';

/** An ITN as PayFast would sign it, for checks that fail before PayFast is asked. */
function itnBody(
  world: PaymentWorld,
  fields: Record<string, string>,
  passphrase = world.config.payfast.passphrase,
) {
  const pairs: [string, string][] = Object.entries({
    m_payment_id: 'AR-NOPE',
    pf_payment_id: '999001',
    payment_status: 'COMPLETE',
    item_name: 'CIPC annual returns',
    item_description: '',
    amount_gross: '799.00',
    amount_fee: '-29.97',
    amount_net: '769.03',
    name_first: '',
    merchant_id: world.config.payfast.merchantId,
    ...fields,
  });
  const { parameterString, signature } = signPairs(pairs, passphrase);
  return `${parameterString}&signature=${signature}`;
}

function postItn(world: PaymentWorld, body: string) {
  return fetch(`${world.url}/webhooks/payfast`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

describe('PayFast ITN webhook', () => {
  let world: PaymentWorld;
  before(async () => {
    world = await startPaymentWorld();
  });
  after(async () => world.close());
  beforeEach(() =>
    world.payfast.set({
      badSignature: false,
      validateInvalid: false,
      duplicates: 1,
      delayMs: 0,
      sourceAddress: undefined,
    }),
  );

  async function lastVerdict() {
    await world.settled();
    const rows = await world.notifications('payfast');
    return rows.at(-1);
  }

  it('pays a COMPLETE ITN from the sandbox round trip, before the buyer is back, with one exact event', async () => {
    const order = await seedUnpaidOrder(world.db);
    const returned = await world.payWithPayfast(order.payToken);
    // The sandbox sends the ITN before it redirects the buyer: the notification is first.
    assert.equal(returned.status, 303);
    await world.settled();
    const itn = world.payfast.itns.at(-1);
    assert.ok(itn && verifyPayfastItnSignature(itn.body, world.config.payfast.passphrase));
    const [paid] = await world.db.select().from(orders).where(eq(orders.id, order.id));
    assert.equal(paid?.status, 'paid');
    const payments = await world.paymentsOf(order.id);
    assert.equal(payments.length, 1);
    assert.equal(payments[0]?.providerPaymentId, itn.pfPaymentId);
    const events = await world.eventsOf(order.conversationId);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.dedupeKey, `payment:${order.id}`);
    const payload = events[0]?.payload as { at: string };
    assert.ok(!Number.isNaN(Date.parse(payload.at)));
    assert.deepEqual(payload, {
      type: 'payment.confirmed',
      at: payload.at,
      orderId: order.id,
      provider: 'payfast',
      amountCents: 79_900,
      v: EVENT_PAYLOAD_VERSION,
    });
    assert.deepEqual(world.kicked.slice(-1), [order.conversationId]);
    assert.equal((await lastVerdict())?.outcome, 'accepted');
    const back = await fetch(returned.headers.get('location') ?? '');
    assert.equal(back.status, 200);
    assert.match(await back.text(), /Payment received/);
  });

  const rejections: {
    name: string;
    body: (world: PaymentWorld, reference: string) => string;
    reason: RegExp;
  }[] = [
    {
      name: 'a wrong amount',
      body: (w, reference) => itnBody(w, { m_payment_id: reference, amount_gross: '7.99' }),
      reason: /amount_gross R7\.99 differs from the order's R799\.00/,
    },
    {
      name: 'a wrong merchant',
      body: (w, reference) => itnBody(w, { m_payment_id: reference, merchant_id: '10000999' }),
      reason: /merchant_id "10000999" is not ours/,
    },
    {
      name: 'an unknown order',
      body: (w) => itnBody(w, { m_payment_id: 'AR-UNKNOWN1' }),
      reason: /unknown order "AR-UNKNOWN1"/,
    },
    {
      name: 'an ITN PayFast never sent (server validation INVALID)',
      body: (w, reference) => itnBody(w, { m_payment_id: reference }),
      reason: /server validation answered INVALID/,
    },
  ];
  for (const { name, body, reason } of rejections) {
    it(`answers 200 to ${name}, records why, and pays nothing`, async () => {
      const order = await seedUnpaidOrder(world.db);
      const response = await postItn(world, body(world, order.reference));
      assert.equal(response.status, 200);
      const verdict = await lastVerdict();
      assert.equal(verdict?.outcome, 'rejected');
      assert.match(verdict?.reason ?? '', reason);
      const [unpaid] = await world.db.select().from(orders).where(eq(orders.id, order.id));
      assert.equal(unpaid?.status, 'awaiting_payment');
      assert.equal((await world.paymentsOf(order.id)).length, 0);
      assert.equal((await world.eventsOf(order.conversationId)).length, 0);
    });
  }

  it('holds a correctly signed ITN PayFast confirms from an address not on the list: pending, neither paid nor rejected', async () => {
    world.payfast.set({ sourceAddress: '127.0.0.2' });
    const order = await seedUnpaidOrder(world.db);
    await world.payWithPayfast(order.payToken);
    const verdict = await lastVerdict();
    assert.equal(verdict?.sourceIp, '127.0.0.2');
    assert.equal(verdict?.outcome, 'pending');
    assert.match(
      verdict?.reason ?? '',
      /^held for a person: source 127\.0\.0\.2 is not on PAYFAST_SOURCE_ALLOWLIST, though its signature is right and PayFast's validation answered VALID$/,
    );
    assert.equal(verdict?.checks, 1);
    const [unpaid] = await world.db.select().from(orders).where(eq(orders.id, order.id));
    assert.equal(unpaid?.status, 'awaiting_payment');
    assert.equal((await world.paymentsOf(order.id)).length, 0);
    assert.equal((await world.eventsOf(order.conversationId)).length, 0);
  });

  it('refuses a forged signature with 400 before storing anything, and pays nothing', async () => {
    const order = await seedUnpaidOrder(world.db);
    const before = (await world.notifications('payfast')).length;
    const response = await postItn(
      world,
      itnBody(world, { m_payment_id: order.reference }, 'not-the-passphrase'),
    );
    assert.equal(response.status, 400);
    const refusal = (await response.json()) as { error: string; message: string };
    assert.equal(refusal.error, 'invalid_signature');
    assert.match(refusal.message, /passphrase/);
    assert.equal((await world.notifications('payfast')).length, before);
    assert.equal((await world.paymentsOf(order.id)).length, 0);
  });

  it('keeps the raw body byte for byte, non-ASCII included', async () => {
    // A literal ë (PayFast would send %C3%AB; the signature covers the decoded value either way).
    const body = itnBody(world, { m_payment_id: 'AR-RAW', name_first: 'Zoë' }).replace('Zo%C3%AB', 'Zoë');
    assert.match(body, /name_first=Zoë&/);
    const response = await postItn(world, body);
    assert.equal(response.status, 200);
    await world.settled();
    const stored = (await world.notifications('payfast')).at(-1);
    assert.ok(stored && isSealedBytes(stored.rawBody), 'kept sealed: an ITN names the payer');
    assert.ok(
      openStoredBytes(stored.rawBody, world.app.encryptionKeys).equals(Buffer.from(body, 'utf8')),
      'the stored bytes open to the posted bytes',
    );
  });

  it('refuses sandbox ITNs with a bad signature from any address (PayFast retries), and one PayFast says is INVALID', async () => {
    for (const sourceAddress of [undefined, '127.0.0.2']) {
      world.payfast.set({ badSignature: true, sourceAddress });
      const order = await seedUnpaidOrder(world.db);
      const before = (await world.notifications('payfast')).length;
      await world.payWithPayfast(order.payToken);
      await world.settled();
      const itn = world.payfast.itns.at(-1);
      assert.ok(itn && itn.attempts.length > 1, 'PayFast retried the refused ITN');
      assert.ok(itn.attempts.every((a) => a.status === 400));
      assert.equal((await world.notifications('payfast')).length, before);
      assert.equal((await world.paymentsOf(order.id)).length, 0);
    }
    world.payfast.set({ badSignature: false, sourceAddress: undefined, validateInvalid: true });
    const order = await seedUnpaidOrder(world.db);
    await world.payWithPayfast(order.payToken);
    const verdict = await lastVerdict();
    assert.equal(verdict?.outcome, 'rejected');
    assert.equal((await world.paymentsOf(order.id)).length, 0);
  });

  it('records a FAILED ITN and leaves the order payable', async () => {
    const order = await seedUnpaidOrder(world.db);
    const response = await world.payWithPayfast(order.payToken, 'fail');
    assert.match(response.headers.get('location') ?? '', /\/cancelled\?provider=payfast$/);
    const verdict = await lastVerdict();
    assert.equal(verdict?.outcome, 'ignored');
    assert.match(verdict?.reason ?? '', /payment_status FAILED/);
    assert.equal((await fetch(`${world.url}/pay/${order.payToken}`)).status, 200);
  });

  it('turns 100 concurrent deliveries of one ITN into one payment row and one event', async () => {
    const order = await seedUnpaidOrder(world.db);
    // The sandbox holds its own delivery back; we deliver its signed ITN 100 times at once.
    world.payfast.set({ delayMs: 60_000 });
    await world.payWithPayfast(order.payToken);
    const itn = world.payfast.itns.at(-1);
    assert.ok(itn);
    const answers = await Promise.all(Array.from({ length: 100 }, () => postItn(world, itn.body)));
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    await world.checked();
    assert.equal((await world.paymentsOf(order.id)).length, 1);
    const events = await world.eventsOf(order.conversationId);
    assert.deepEqual(
      events.map((e) => e.type),
      ['payment.confirmed'],
    );
    const verdicts = (await world.notifications('payfast')).slice(-100);
    assert.equal(verdicts.filter((v) => v.outcome === 'accepted').length, 1);
    assert.equal(verdicts.filter((v) => v.outcome === 'ignored').length, 99);
    const [conversation] = await world.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, order.conversationId));
    assert.equal(conversation?.needsAgent, null);
  });
});
