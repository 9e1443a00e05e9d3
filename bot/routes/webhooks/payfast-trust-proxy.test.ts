import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Config } from '../../../config/load-config.js';
import { orders } from '../../../db/schema.js';
import { seedUnpaidOrder } from '../pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../pay/testing/start-payment-world.js';

// Inside PayFast's published range 197.97.145.144/28 (the default PAYFAST_SOURCE_ALLOWLIST).
const PAYFAST_ADDRESS = '197.97.145.145';

/**
 * A genuine ITN (signed by the sandbox, VALID on validation) posted from this test's loopback socket with
 * `X-Forwarded-For` naming a PayFast address. Live mode, so loopback is not on the allowlist: only the
 * address Fastify derives under TRUST_PROXY decides whether the source passes.
 */
async function postForwardedItn(world: PaymentWorld) {
  const order = await seedUnpaidOrder(world.db);
  world.payfast.set({ delayMs: 60_000 });
  await world.payWithPayfast(order.payToken);
  const itn = world.payfast.itns.at(-1);
  assert.ok(itn);
  const response = await fetch(`${world.url}/webhooks/payfast`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': PAYFAST_ADDRESS },
    body: itn.body,
  });
  assert.equal(response.status, 200);
  await world.checked();
  const verdict = (await world.notifications('payfast')).at(-1);
  const [row] = await world.db.select().from(orders).where(eq(orders.id, order.id));
  return { verdict, status: row?.status };
}

async function worldWith(trustProxy: Config['trustProxy']) {
  return startPaymentWorld({ payfast: { mode: 'live' }, trustProxy });
}

describe('the PayFast ITN source check behind TRUST_PROXY', () => {
  describe('unset (no proxy trusted)', () => {
    let world: PaymentWorld;
    before(async () => {
      world = await worldWith(false);
    });
    after(async () => world.close());

    it('judges the socket address, not a spoofed X-Forwarded-For: the ITN is held, nothing is paid', async () => {
      const { verdict, status } = await postForwardedItn(world);
      assert.equal(verdict?.sourceIp, '127.0.0.1');
      assert.equal(verdict?.outcome, 'pending');
      assert.match(verdict?.reason ?? '', /source 127\.0\.0\.1 is not on PAYFAST_SOURCE_ALLOWLIST/);
      assert.equal(status, 'awaiting_payment');
    });
  });

  describe("set to the proxy's address", () => {
    let world: PaymentWorld;
    before(async () => {
      world = await worldWith(['127.0.0.1']);
    });
    after(async () => world.close());

    it('honours the address the trusted proxy forwards: the ITN is accepted and the order paid', async () => {
      const { verdict, status } = await postForwardedItn(world);
      assert.equal(verdict?.sourceIp, PAYFAST_ADDRESS);
      assert.equal(verdict?.outcome, 'accepted');
      assert.equal(status, 'paid');
    });
  });

  describe('set to a proxy the request did not come through', () => {
    let world: PaymentWorld;
    before(async () => {
      world = await worldWith(['10.0.0.0/8']);
    });
    after(async () => world.close());

    it('ignores X-Forwarded-For from a peer outside the list', async () => {
      const { verdict } = await postForwardedItn(world);
      assert.equal(verdict?.sourceIp, '127.0.0.1');
      assert.equal(verdict?.outcome, 'pending');
    });
  });
});
