import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { conversations, orders } from '../../../db/schema.js';
import { openStoredBytes } from '../../../db/seal-bytes.js';
import { EVENT_PAYLOAD_VERSION } from '../../../db/store-event.js';
import { seedUnpaidOrder } from '../pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../pay/testing/start-payment-world.js';

function postNotification(world: PaymentWorld, body: string) {
  return fetch(`${world.url}/webhooks/ozow`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

describe('Ozow notification webhook', () => {
  let world: PaymentWorld;
  before(async () => {
    world = await startPaymentWorld();
  });
  after(async () => world.close());
  beforeEach(() => world.ozow.set({ ...world.ozow.knobs, ...OFF }));

  const OFF = {
    badHash: false,
    delayMs: 0,
    duplicates: 1,
    pendingForMs: 0,
    pendingInvestigation: false,
    wrongAmount: false,
    statusApiDown: false,
  };
  const orderOf = async (id: string) => (await world.db.select().from(orders).where(eq(orders.id, id)))[0];
  const flagOf = async (conversationId: string) =>
    (await world.db.select().from(conversations).where(eq(conversations.id, conversationId)))[0]?.needsAgent;
  const lastVerdict = async () => (await world.notifications('ozow')).at(-1);

  it('pays through the sandbox round trip: 302 to Ozow, Complete confirmed by the status API, one event', async () => {
    const order = await seedUnpaidOrder(world.db);
    const start = await fetch(`${world.url}/pay/${order.payToken}/ozow`, { redirect: 'manual' });
    assert.equal(start.status, 302);
    assert.match(start.headers.get('location') ?? '', /\/ozow\/pay\/[0-9a-f-]+$/);
    const back = await fetch(start.headers.get('location') ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=pay',
      redirect: 'manual',
    });
    assert.match(
      back.headers.get('location') ?? '',
      new RegExp(`/pay/${order.payToken}/return\\?provider=ozow&`),
    );
    assert.equal((await orderOf(order.id))?.status, 'paid');
    const [payment] = await world.paymentsOf(order.id);
    assert.equal(payment?.provider, 'ozow');
    assert.equal(payment?.amountCents, 79_900);
    const events = await world.eventsOf(order.conversationId);
    assert.equal(events.length, 1);
    const payload = events[0]?.payload as { at: string };
    assert.deepEqual(payload, {
      type: 'payment.confirmed',
      at: payload.at,
      orderId: order.id,
      provider: 'ozow',
      amountCents: 79_900,
      v: EVENT_PAYLOAD_VERSION,
    });
    assert.equal((await lastVerdict())?.outcome, 'accepted');
  });

  it('confirms a test-mode notification through the status API asked with IsTest=true, and pays', async () => {
    assert.equal(world.config.ozow.isTest, true, 'the sandbox plays Ozow in test mode');
    const order = await seedUnpaidOrder(world.db);
    await world.payWithOzow(order.payToken);
    const notification = new URLSearchParams(world.ozow.notifications.at(-1)?.body);
    assert.equal(notification.get('IsTest'), 'true');
    const verdict = await lastVerdict();
    assert.deepEqual([verdict?.outcome, verdict?.reason], ['accepted', `order ${order.reference} paid`]);
    assert.equal((await orderOf(order.id))?.status, 'paid');
    const [payment] = await world.paymentsOf(order.id);
    assert.equal(payment?.providerPaymentId, notification.get('TransactionId'));
  });

  it('answers 400 to a bad Hash, stores nothing, and pays nothing', async () => {
    world.ozow.set({ badHash: true });
    const order = await seedUnpaidOrder(world.db);
    const before = (await world.notifications('ozow')).length;
    await world.payWithOzow(order.payToken);
    const sent = world.ozow.notifications.at(-1);
    assert.equal(sent?.attempts[0]?.status, 400);
    assert.equal((await world.notifications('ozow')).length, before);
    assert.equal((await orderOf(order.id))?.status, 'awaiting_payment');
    assert.equal((await world.paymentsOf(order.id)).length, 0);
    await world.settled(); // Ozow's retries of the refused notification, refused again
  });

  it('waits on Pending and pays on the Complete that follows', async () => {
    world.ozow.set({ pendingForMs: 100 });
    const order = await seedUnpaidOrder(world.db);
    await world.payWithOzow(order.payToken);
    await sleep(20);
    assert.equal((await orderOf(order.id))?.status, 'awaiting_payment');
    await world.settled();
    const verdicts = (await world.notifications('ozow')).filter((n) =>
      openStoredBytes(n.rawBody, world.app.encryptionKeys).includes(order.reference),
    );
    assert.deepEqual(
      verdicts.map((v) => v.outcome),
      ['ignored', 'accepted'],
    );
    assert.match(verdicts[0]?.reason ?? '', /Pending/);
    assert.equal((await orderOf(order.id))?.status, 'paid');
  });

  for (const [name, knob, reason] of [
    ['PendingInvestigation', { pendingInvestigation: true }, /under investigation/],
    ['a different amount', { wrongAmount: true }, /paid R798\.00 for order .* of R799\.00/],
  ] as const) {
    it(`flags the order for a person on ${name}, pays nothing`, async () => {
      world.ozow.set(knob);
      const order = await seedUnpaidOrder(world.db);
      const response = await world.payWithOzow(order.payToken);
      assert.equal(response.status, 303);
      assert.equal((await orderOf(order.id))?.status, 'needs_agent');
      assert.match((await flagOf(order.conversationId)) ?? '', reason);
      assert.equal((await world.paymentsOf(order.id)).length, 0);
      assert.equal((await world.eventsOf(order.conversationId)).length, 0);
      assert.equal((await lastVerdict())?.outcome, 'rejected');
    });
  }

  it('answers 503 while the status API is down, so Ozow retries, and pays nothing yet', async () => {
    world.ozow.set({ statusApiDown: true });
    const order = await seedUnpaidOrder(world.db);
    await world.payWithOzow(order.payToken);
    assert.equal(world.ozow.notifications.at(-1)?.attempts[0]?.status, 503);
    assert.equal((await lastVerdict())?.outcome, 'pending');
    world.ozow.set({ statusApiDown: false });
    await world.settled();
    assert.equal((await orderOf(order.id))?.status, 'paid');
  });

  it('hands a verified Complete to a person when Ozow no longer lists its transaction among the 10 it shows', async () => {
    world.ozow.set({ delayMs: 60_000 });
    const order = await seedUnpaidOrder(world.db);
    await world.payWithOzow(order.payToken);
    const paid = world.ozow.notifications.at(-1);
    // Ten later attempts on the same reference push the paid one out of GetTransactionByReference's list.
    for (let attempt = 0; attempt < 10; attempt++) await world.payWithOzow(order.payToken, 'cancel');
    assert.equal((await postNotification(world, paid?.body ?? '')).status, 200);
    const verdict = await lastVerdict();
    assert.equal(verdict?.outcome, 'rejected');
    assert.match(verdict?.reason ?? '', /order flagged: .*lists only the latest 10/);
    assert.equal((await orderOf(order.id))?.status, 'needs_agent');
    assert.match((await flagOf(order.conversationId)) ?? '', new RegExp(paid?.transactionId ?? '-'));
    assert.equal((await world.paymentsOf(order.id)).length, 0);
  });

  it('turns 100 concurrent deliveries of one notification into one payment row and one event', async () => {
    world.ozow.set({ delayMs: 60_000 });
    const order = await seedUnpaidOrder(world.db);
    await world.payWithOzow(order.payToken);
    const sent = world.ozow.notifications.at(-1);
    assert.ok(sent);
    const answers = await Promise.all(Array.from({ length: 100 }, () => postNotification(world, sent.body)));
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    assert.equal((await world.paymentsOf(order.id)).length, 1);
    assert.equal((await world.eventsOf(order.conversationId)).length, 1);
    assert.equal(await flagOf(order.conversationId), null);
  });

  it('flags an order paid through both PayFast and Ozow, with one payment.confirmed event', async () => {
    const order = await seedUnpaidOrder(world.db);
    // Both checkouts opened while the order was still payable, then both paid.
    world.ozow.set({ delayMs: 60_000 });
    await world.payWithOzow(order.payToken);
    const ozowNotification = world.ozow.notifications.at(-1);
    await world.payWithPayfast(order.payToken);
    await world.checked();
    assert.equal((await orderOf(order.id))?.status, 'paid');
    assert.equal((await postNotification(world, ozowNotification?.body ?? '')).status, 200);
    assert.equal((await orderOf(order.id))?.status, 'needs_agent');
    assert.match((await flagOf(order.conversationId)) ?? '', /paid again: ozow payment .* refund/);
    const payments = await world.paymentsOf(order.id);
    assert.deepEqual(payments.map((p) => p.provider).sort(), ['ozow', 'payfast']);
    const events = await world.eventsOf(order.conversationId);
    assert.deepEqual(
      events.map((e) => [e.type, (e.payload as { provider: string }).provider]),
      [['payment.confirmed', 'payfast']],
    );
  });
});
