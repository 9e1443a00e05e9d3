import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { orders, paymentNotifications } from '../../db/schema.js';
import { EVENT_PAYLOAD_VERSION } from '../../db/store-event.js';
import { seedUnpaidOrder } from '../routes/pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../routes/pay/testing/start-payment-world.js';
import { createPaymentReconciler } from './create-payment-reconciler.js';

const HOUR = 3_600_000;

describe('payment reconciliation', () => {
  let world: PaymentWorld;
  before(async () => {
    world = await startPaymentWorld();
  });
  after(async () => world.close());
  const reconciler = () =>
    createPaymentReconciler({
      db: world.db,
      encryptionKeys: world.app.encryptionKeys,
      config: world.config,
      logger: pino({ level: 'silent' }),
      ozowAfterMs: 0,
      payfastAfterMs: 0,
    });
  const orderOf = async (id: string) => (await world.db.select().from(orders).where(eq(orders.id, id)))[0];

  it('confirms an Ozow payment whose notification never arrived, through the status API, once', async () => {
    const order = await seedUnpaidOrder(world.db);
    world.ozow.set({ delayMs: 600_000 }); // the notification is lost for the length of this test
    await world.payWithOzow(order.payToken);
    world.ozow.set({ delayMs: 0 });
    const report = await reconciler().runOnce();
    assert.ok(report.ozowOrdersChecked >= 1);
    assert.equal((await orderOf(order.id))?.status, 'paid');
    await reconciler().runOnce();
    assert.equal((await world.paymentsOf(order.id)).length, 1);
    assert.equal((await world.eventsOf(order.conversationId)).length, 1);
  });

  it('re-checks a PayFast ITN left pending and pays it', async () => {
    const order = await seedUnpaidOrder(world.db);
    world.payfast.set({ delayMs: 600_000 });
    await world.payWithPayfast(order.payToken);
    world.payfast.set({ delayMs: 0 });
    const itn = world.payfast.itns.at(-1);
    await world.db.insert(paymentNotifications).values({
      provider: 'payfast',
      rawBody: Buffer.from(itn?.body ?? ''),
      sourceIp: '127.0.0.1',
      reason: 'process stopped',
    });
    const report = await reconciler().runOnce();
    assert.equal(report.payfastRetried, 1);
    assert.equal((await orderOf(order.id))?.status, 'paid');
  });

  it('stores one payment.reminderDue inside the WhatsApp window, and none outside it', async () => {
    const inWindow = await seedUnpaidOrder(world.db, {
      createdAt: new Date(Date.now() - 3 * HOUR),
      lastInboundAt: new Date(Date.now() - 3 * HOUR),
    });
    const windowClosed = await seedUnpaidOrder(world.db, {
      createdAt: new Date(Date.now() - 30 * HOUR),
      lastInboundAt: new Date(Date.now() - 30 * HOUR),
    });
    const tooSoon = await seedUnpaidOrder(world.db);
    await reconciler().runOnce();
    await reconciler().runOnce();
    const reminders = async (conversationId: string) =>
      (await world.eventsOf(conversationId)).filter((e) => e.type === 'payment.reminderDue');
    const [reminder] = await reminders(inWindow.conversationId);
    const payload = reminder?.payload as { at: string };
    assert.deepEqual(payload, {
      type: 'payment.reminderDue',
      at: payload.at,
      orderId: inWindow.id,
      v: EVENT_PAYLOAD_VERSION,
    });
    assert.equal((await reminders(inWindow.conversationId)).length, 1);
    assert.ok((await orderOf(inWindow.id))?.reminderSentAt);
    assert.equal((await reminders(windowClosed.conversationId)).length, 0);
    assert.equal((await reminders(tooSoon.conversationId)).length, 0);
  });

  it('expires an unpaid order when its token expires: status expired and one order.expired event', async () => {
    const order = await seedUnpaidOrder(world.db, { payTokenExpiresAt: new Date(Date.now() - 1000) });
    const paid = await seedUnpaidOrder(world.db, {
      payTokenExpiresAt: new Date(Date.now() - 1000),
      status: 'paid',
    });
    await reconciler().runOnce();
    await reconciler().runOnce();
    assert.equal((await orderOf(order.id))?.status, 'expired');
    const events = await world.eventsOf(order.conversationId);
    assert.deepEqual(
      events.map((e) => [e.type, e.dedupeKey]),
      [['order.expired', `order:${order.id}:expired`]],
    );
    assert.equal((await orderOf(paid.id))?.status, 'paid');
    assert.equal((await world.eventsOf(paid.conversationId)).length, 0);
  });

  it('runs periodically until stopped', async () => {
    const order = await seedUnpaidOrder(world.db, { payTokenExpiresAt: new Date(Date.now() - 1000) });
    const runner = createPaymentReconciler({
      db: world.db,
      encryptionKeys: world.app.encryptionKeys,
      config: world.config,
      logger: pino({ level: 'silent' }),
      intervalMs: 10,
    });
    runner.start();
    for (let i = 0; i < 100 && (await orderOf(order.id))?.status !== 'expired'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await runner.stop();
    assert.equal((await orderOf(order.id))?.status, 'expired');
  });
});
