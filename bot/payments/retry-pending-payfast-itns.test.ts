import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversations, orders, paymentNotifications } from '../../db/schema.js';
import { seedUnpaidOrder } from '../routes/pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../routes/pay/testing/start-payment-world.js';
import { processPayfastItn } from './process-payfast-itn.js';
import { PAYFAST_ITN_CHECKS, retryPendingPayfastItns } from './retry-pending-payfast-itns.js';
import { payfastItnDepsOf } from './testing/payfast-itn-deps-of.js';
import { paymentNotificationOf } from './testing/payment-notification-of.js';
import { storeUndeliveredPayfastItn } from './testing/store-undelivered-payfast-itn.js';

const MINUTE = 60_000;
const olderThanMs = 5 * MINUTE;

describe('retryPendingPayfastItns', () => {
  let world: PaymentWorld;
  before(async () => {
    world = await startPaymentWorld();
  });
  after(async () => world.close());
  const rowOf = (id: number) => paymentNotificationOf(world.db, id);
  const statusOf = async (id: string) =>
    (await world.db.select().from(orders).where(eq(orders.id, id)))[0]?.status;
  const needsAgentOf = async (id: string) =>
    (await world.db.select().from(conversations).where(eq(conversations.id, id)))[0]?.needsAgent;

  it('keeps an ITN that arrived while DNS failed pending, not rejected, and pays it on a later re-check', async () => {
    let dnsUp = false;
    const resolveHost = async (host: string) => {
      if (!dnsUp) throw new Error(`queryA ESERVFAIL ${host}`);
      return host === 'itn.payfast.test' ? ['198.51.100.7'] : [];
    };
    const t0 = new Date();
    const deps = (now: Date) =>
      payfastItnDepsOf(world, { sourceAllowlist: ['itn.payfast.test'], resolveHost, now: () => now });
    const order = await seedUnpaidOrder(world.db);
    const itn = await storeUndeliveredPayfastItn(world, order, '198.51.100.7');

    const first = await processPayfastItn(deps(t0), itn);
    assert.equal(first?.verdict.outcome, 'pending');
    assert.match(
      first?.verdict.reason ?? '',
      /^held for a person: source 198\.51\.100\.7 could not be checked \(lookup failed: itn\.payfast\.test \(queryA ESERVFAIL itn\.payfast\.test\)\)/,
    );
    assert.equal(await statusOf(order.id), 'awaiting_payment');

    dnsUp = true;
    const soon = new Date(t0.getTime() + olderThanMs - 1);
    assert.equal(await retryPendingPayfastItns(deps(soon), { now: soon, olderThanMs }), 0, 'not due yet');
    const later = new Date(t0.getTime() + olderThanMs);
    assert.equal(await retryPendingPayfastItns(deps(later), { now: later, olderThanMs }), 1);
    const row = await rowOf(itn.id);
    assert.deepEqual([row?.outcome, row?.checks], ['accepted', 2]);
    assert.equal(await statusOf(order.id), 'paid');
    assert.equal((await world.paymentsOf(order.id)).length, 1);
    assert.deepEqual(
      (await world.eventsOf(order.conversationId)).map((e) => e.type),
      ['payment.confirmed'],
    );
  });

  it('re-checks a held ITN with growing waits, tells a person after the third check, stops after the last, and pays once the source is listed', async () => {
    const t0 = new Date();
    const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
    const unlisted = (now: Date) =>
      payfastItnDepsOf(world, {
        sourceAllowlist: ['197.97.145.144/28'],
        resolveHost: async () => [],
        now: () => now,
      });
    const order = await seedUnpaidOrder(world.db);
    const itn = await storeUndeliveredPayfastItn(world, order, '203.0.113.9');
    await processPayfastItn(unlisted(t0), itn);
    const retry = (minutes: number) =>
      retryPendingPayfastItns(unlisted(at(minutes)), { now: at(minutes), olderThanMs });

    // Check n + 1 is due olderThanMs · 2^(n-1) after check n: at 5, 15, 35, 75, 155, 315 and 635 minutes.
    const schedule = [5, 15, 35, 75, 155, 315, 635];
    let previous = 0;
    for (const [index, minute] of schedule.entries()) {
      assert.equal(await retry(minute - 1), 0, `check ${index + 2} is not due at ${minute - 1} min`);
      assert.equal(await retry(minute), 1, `check ${index + 2} is due at ${minute} min`);
      const row = await rowOf(itn.id);
      assert.deepEqual([row?.outcome, row?.checks], ['pending', index + 2]);
      assert.equal(row?.checkedAt?.getTime(), at(minute).getTime());
      const flagged = await needsAgentOf(order.conversationId);
      if (index + 2 < PAYFAST_ITN_CHECKS.personAfter)
        assert.equal(flagged, null, `no person after ${index + 2}`);
      else {
        assert.equal(
          flagged,
          `PayFast ITN ${itn.id} for order ${order.reference} still undecided after 3 checks ` +
            `(held for a person: source 203.0.113.9 is not on PAYFAST_SOURCE_ALLOWLIST, though its signature is right and PayFast's validation answered VALID); ` +
            `re-checked up to 8 times: see "Checking a PayFast payment" in bot/payments/README.md`,
        );
      }
      previous = minute;
    }
    assert.equal(PAYFAST_ITN_CHECKS.max, schedule.length + 1);
    assert.equal(await retry(previous + 100_000), 0, 'no automatic re-check after the last');
    assert.equal(await statusOf(order.id), 'awaiting_payment');
    assert.equal((await world.paymentsOf(order.id)).length, 0);

    // The person finds the payment in PayFast's dashboard, lists the address and asks for a re-check.
    await world.db
      .update(paymentNotifications)
      .set({ checks: 0, checkedAt: null })
      .where(eq(paymentNotifications.id, itn.id));
    const listed = payfastItnDepsOf(world, {
      sourceAllowlist: ['197.97.145.144/28', '203.0.113.9'],
      resolveHost: async () => [],
      now: () => at(previous + 1),
    });
    assert.equal(await retryPendingPayfastItns(listed, { now: at(previous + 1), olderThanMs }), 1);
    assert.equal((await rowOf(itn.id))?.outcome, 'accepted');
    assert.equal(await statusOf(order.id), 'paid');
    assert.equal((await world.paymentsOf(order.id)).length, 1);
  });
});
