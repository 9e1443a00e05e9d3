import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright';
import { launchTestChromium } from '../../../config/testing/launch-test-chromium.js';
import { orders } from '../../../db/schema.js';
import { seedUnpaidOrder } from './testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from './testing/start-payment-world.js';

describe('paying in Chromium', () => {
  let world: PaymentWorld;
  let browser: Browser;
  before(async () => {
    world = await startPaymentWorld();
    browser = await launchTestChromium();
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  for (const [provider, button] of [
    ['payfast', 'Pay with card or EFT (PayFast)'],
    ['ozow', 'Pay with instant EFT (Ozow)'],
  ] as const) {
    it(`opens the pay link, pays with ${provider} on its page, and the order is paid with its event`, async () => {
      const order = await seedUnpaidOrder(world.db);
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(`${world.url}/pay/${order.payToken}`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'ACME TRADING (PTY) LTD');
      await page.getByRole('link', { name: button }).click();
      await page.getByRole('button', { name: 'Pay R 799.00' }).click();
      await page.waitForURL(new RegExp(`/pay/${order.payToken}/return`));
      await world.settled();
      const [paid] = await world.db.select().from(orders).where(eq(orders.id, order.id));
      assert.equal(paid?.status, 'paid');
      const events = await world.eventsOf(order.conversationId);
      assert.deepEqual(
        events.map((e) => [e.type, (e.payload as { provider: string }).provider]),
        [['payment.confirmed', provider]],
      );
      await page.reload();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Payment received');
      await page.close();
    });
  }
});
