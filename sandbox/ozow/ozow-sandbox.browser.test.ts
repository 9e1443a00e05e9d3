import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { Browser } from 'playwright';
import { ozowRequestHash, verifyOzowNotificationHash } from '../../bot/payments/ozow-hash.js';
import { type NotificationReceiver, startNotificationReceiver } from '../payfast/notification-receiver.js';
import { launchTestChromium } from '../testing/launch-test-chromium.js';
import { createOzowSandbox } from './create-ozow-sandbox.js';

const site = { siteCode: 'TSTSTE0001', privateKey: '215114531AFF7134A94C88CEEA48E', apiKey: 'api-key-1' };

describe('Ozow sandbox in Chromium', () => {
  const sandbox = createOzowSandbox({ sites: [site] });
  const app = Fastify();
  let ozowUrl = '';
  let receiver: NotificationReceiver;
  let browser: Browser;

  before(async () => {
    await app.register(sandbox.plugin, { prefix: '/ozow' });
    ozowUrl = `${await app.listen({ host: '127.0.0.1', port: 0 })}/ozow`;
    receiver = await startNotificationReceiver({
      '/success': () => '<!doctype html><title>Paid</title><h1>Payment received</h1>',
    });
    browser = await launchTestChromium();
  });
  after(async () => {
    await browser?.close();
    await app.close();
    await receiver?.close();
  });

  it('opens the payment URL, pays, and the merchant gets a verified notification and the buyer SuccessUrl', async () => {
    const fields = {
      SiteCode: site.siteCode,
      CountryCode: 'ZA',
      CurrencyCode: 'ZAR',
      Amount: '349.00',
      TransactionReference: 'ORD-9',
      BankReference: 'CIPC ORD-9',
      CancelUrl: `${receiver.origin}/cancel`,
      ErrorUrl: `${receiver.origin}/error`,
      SuccessUrl: `${receiver.origin}/success`,
      NotifyUrl: `${receiver.origin}/webhooks/ozow`,
      IsTest: true,
    };
    const response = await fetch(`${ozowUrl}/PostPaymentRequest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ApiKey: site.apiKey },
      body: JSON.stringify({ ...fields, HashCheck: ozowRequestHash(fields, site.privateKey) }),
    });
    const { url } = (await response.json()) as { url: string };

    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Pay R 349.00' }).click();
    await page.waitForURL((landed) => landed.href.startsWith(`${receiver.origin}/success?`));
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Payment received');
    assert.equal(new URL(page.url()).searchParams.get('Status'), 'Complete');

    const [posted] = await receiver.waitFor(1);
    assert.equal(posted?.path, '/webhooks/ozow');
    const notification = Object.fromEntries(new URLSearchParams(posted?.rawBody));
    assert.equal(verifyOzowNotificationHash(notification, site.privateKey), true);
    assert.deepEqual(
      [notification.Status, notification.TransactionReference, notification.Amount],
      ['Complete', 'ORD-9', '349.00'],
    );
  });
});
