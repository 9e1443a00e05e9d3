import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { Browser } from 'playwright';
import { payfastCheckoutFields } from '../../bot/payments/payfast-checkout-fields.js';
import { verifyPayfastItnSignature } from '../../bot/payments/payfast-signature.js';
import { launchTestChromium } from '../testing/launch-test-chromium.js';
import { createPayfastSandbox } from './create-payfast-sandbox.js';
import { escapeHtml } from './html-page.js';
import { type NotificationReceiver, startNotificationReceiver } from './notification-receiver.js';

const merchant = { merchantId: '10000100', merchantKey: '46f0cd694581a', passphrase: 'jt7NOE43FZPn' };

describe('PayFast sandbox in Chromium', () => {
  const sandbox = createPayfastSandbox({ merchants: [merchant] });
  const app = Fastify();
  let receiver: NotificationReceiver;
  let browser: Browser;

  before(async () => {
    await app.register(sandbox.plugin, { prefix: '/payfast' });
    const payfastUrl = `${await app.listen({ host: '127.0.0.1', port: 0 })}/payfast`;
    // The merchant's checkout page: the signed fields as a form posted to PayFast, as the bot renders it.
    receiver = await startNotificationReceiver({
      '/checkout': (origin) => {
        const fields = payfastCheckoutFields(merchant, {
          reference: 'ORD-7',
          amountCents: 34900,
          itemName: 'CIPC annual return 2024',
          returnUrl: `${origin}/return`,
          cancelUrl: `${origin}/cancel`,
          notifyUrl: `${origin}/webhooks/payfast`,
        });
        const inputs = Object.entries(fields)
          .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
          .join('');
        return `<!doctype html><title>Checkout</title><form method="post" action="${payfastUrl}/eng/process">${inputs}<button>Pay with PayFast</button></form>`;
      },
      '/return': () => '<!doctype html><title>Thank you</title><h1>Thank you for your payment</h1>',
    });
    browser = await launchTestChromium();
  });
  after(async () => {
    await browser?.close();
    await app.close();
    await receiver?.close();
  });

  it('submits the checkout, pays, and the merchant gets a signed ITN and the buyer its return page', async () => {
    const page = await browser.newPage();
    await page.goto(`${receiver.origin}/checkout`);
    await page.getByRole('button', { name: 'Pay with PayFast' }).click();
    await page.getByRole('heading', { name: 'CIPC annual return 2024' }).waitFor();
    await page.getByRole('button', { name: 'Pay R 349.00' }).click();
    await page.waitForURL(`${receiver.origin}/return`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Thank you for your payment');
    const [itn] = await receiver.waitFor(1);
    assert.equal(itn?.path, '/webhooks/payfast');
    assert.equal(verifyPayfastItnSignature(itn?.rawBody ?? '', merchant.passphrase), true);
    assert.equal(new URLSearchParams(itn?.rawBody).get('payment_status'), 'COMPLETE');
    assert.equal(new URLSearchParams(itn?.rawBody).get('m_payment_id'), 'ORD-7');
  });
});
