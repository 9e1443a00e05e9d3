import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { expect } from 'playwright/test';
import { launchTestChromium } from '../../../config/testing/launch-test-chromium.js';
import { createAisensySandbox } from '../../../sandbox/aisensy/create-aisensy-sandbox.js';
import { seedUnpaidOrder } from '../../routes/pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../../routes/pay/testing/start-payment-world.js';
import { buildTestApp, testConfig } from '../../testing/build-test-app.js';

/** A page that records every Content-Security-Policy refusal Chromium reports, across navigations. */
async function watchedPage(browser: Browser): Promise<{ page: Page; refusals: string[] }> {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refusals.push(message.text());
  });
  return { page, refusals };
}

describe('pages under their Content-Security-Policy in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchTestChromium();
  });
  after(async () => browser?.close());

  describe('pay pages', () => {
    let world: PaymentWorld;
    before(async () => {
      world = await startPaymentWorld();
    });
    after(async () => world?.close());

    it('the pay page is styled, and the PayFast page submits itself to PayFast, with nothing refused', async () => {
      const order = await seedUnpaidOrder(world.db);
      const { page, refusals } = await watchedPage(browser);
      await page.goto(`${world.url}/pay/${order.payToken}`);
      // The inline style applied: the page background is the stylesheet's, not the browser's white.
      assert.equal(
        await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
        'rgb(244, 246, 248)',
      );
      await page.getByRole('link', { name: 'Pay with card or EFT (PayFast)' }).click();
      // Only the inline script, allowed by its hash, can have posted the form to the sandbox's page.
      await expect(page.getByRole('button', { name: 'Pay R 799.00' })).toBeVisible();
      assert.deepEqual(refusals, []);
      await page.close();
    });
  });

  describe('phone simulator mounted on the service', () => {
    let world: Awaited<ReturnType<typeof buildTestApp>>;
    let url: string;
    before(async () => {
      const aisensy = createAisensySandbox({
        projectId: testConfig.aisensy.projectId,
        projectApiPwd: testConfig.aisensy.projectApiPwd,
        apiKey: testConfig.aisensy.apiKey,
        webhookUrl: `${testConfig.publicBaseUrl}/webhooks/aisensy`,
        webhookSecret: testConfig.aisensy.webhookSecret,
      });
      world = await buildTestApp({
        extraRoutes: async (app) => {
          await app.register(aisensy.plugin, { prefix: '/sandbox/aisensy' });
          await app.register(aisensy.phonePlugin);
        },
      });
      url = await world.app.listen({ host: '127.0.0.1', port: 0 });
    });
    after(async () => world?.close());

    it('opens a chat and sends a message with its scripts, styles and polling allowed', async () => {
      const { page, refusals } = await watchedPage(browser);
      await page.goto(`${url}/sandbox/phone`);
      await page.getByLabel('Your phone number').fill('+27 82 123 4567');
      await page.getByLabel('Your name').fill('Thandi');
      await page.getByRole('button', { name: 'Open chat' }).click();
      await page.getByRole('textbox', { name: 'Message' }).fill('hi');
      await page.getByRole('button', { name: 'Send' }).click();
      await expect(page.getByRole('listitem').filter({ hasText: 'hi' })).toBeVisible();
      assert.deepEqual(refusals, []);
      await page.close();
    });
  });
});
