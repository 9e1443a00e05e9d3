import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../config/load-config.js';
import { orders } from '../../db/schema.js';
import { seedUnpaidOrder } from '../routes/pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../routes/pay/testing/start-payment-world.js';
import { processPayfastItn } from './process-payfast-itn.js';
import { payfastItnDepsOf } from './testing/payfast-itn-deps-of.js';
import { paymentNotificationOf } from './testing/payment-notification-of.js';
import { storeUndeliveredPayfastItn } from './testing/store-undelivered-payfast-itn.js';

const dnsDown = async (host: string): Promise<string[]> => {
  throw new Error(`queryA ESERVFAIL ${host}`);
};

describe('processPayfastItn', () => {
  let world: PaymentWorld;
  before(async () => {
    world = await startPaymentWorld();
  });
  after(async () => world.close());
  const rowOf = (id: number) => paymentNotificationOf(world.db, id);

  it("pays an ITN from 41.74.179.200 under the default allowlist (PayFast's published ranges), with DNS down", async () => {
    const order = await seedUnpaidOrder(world.db);
    const itn = await storeUndeliveredPayfastItn(world, order, '41.74.179.200');
    const deps = payfastItnDepsOf(world, {
      sourceAllowlist: loadConfig({ NODE_ENV: 'test' }).payfast.sourceAllowlist,
      resolveHost: dnsDown,
    });
    const result = await processPayfastItn(deps, itn);
    assert.deepEqual(result?.verdict, { outcome: 'accepted', reason: `order ${order.reference} paid` });
    const [paid] = await world.db.select().from(orders).where(eq(orders.id, order.id));
    assert.equal(paid?.status, 'paid');
    assert.equal((await world.paymentsOf(order.id)).length, 1);
  });

  it('runs one check once when two processes start it together, and counts it', async () => {
    const order = await seedUnpaidOrder(world.db);
    const itn = await storeUndeliveredPayfastItn(world, order, '203.0.113.9');
    const deps = payfastItnDepsOf(world, { sourceAllowlist: ['203.0.113.9'], resolveHost: dnsDown });
    const results = await Promise.all([processPayfastItn(deps, itn), processPayfastItn(deps, itn)]);
    assert.equal(results.filter((result) => result === undefined).length, 1);
    assert.equal(results.find(Boolean)?.check, 1);
    const row = await rowOf(itn.id);
    assert.equal(row?.checks, 1);
    assert.ok(row?.checkedAt);
    assert.equal(row?.outcome, 'accepted');
    assert.equal(
      await processPayfastItn(deps, { ...itn, checks: 1 }),
      undefined,
      'a decided ITN is not re-run',
    );
  });
});
