import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, expect, type Page } from 'playwright/test';
import { launchTestChromium } from '../testing/launch-test-chromium.js';
import { type AisensyHarness, HARNESS, startAisensyHarness } from './start-aisensy-harness.js';

const USER = '27821234567';

describe('phone simulator page in Chromium', () => {
  let harness: AisensyHarness;
  let browser: Browser;
  let page: Page;

  before(async () => {
    harness = await startAisensyHarness({ knobs: { webhookRetryDelayMs: 700 } });
    browser = await launchTestChromium();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
  });

  const post = async (body: unknown) => {
    const response = await fetch(`${harness.apiUrl}/project-apis/v1/project/${HARNESS.projectId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-aisensy-project-api-pwd': HARNESS.projectApiPwd },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: `+${USER}`, ...(body as object) }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { messages: [{ id: string }] }).messages[0].id;
  };

  it('sends a typed message as a signed envelope, with ticks going ✓ → ✓✓ → blue', async () => {
    await page.goto(`${harness.baseUrl}/sandbox/phone`);
    await page.getByLabel('Your phone number').fill('+27 82 123 4567');
    await page.getByLabel('Your name').fill('Thandi');
    await page.getByRole('button', { name: 'Open chat' }).click();

    harness.failNextReceives(1);
    await page.getByRole('textbox', { name: 'Message' }).fill('hi');
    await page.getByRole('button', { name: 'Send' }).click();

    const ticks = page.getByRole('listitem').filter({ hasText: 'hi' }).getByRole('img');
    await expect(ticks).toHaveAccessibleName('Sent');
    const envelope = await harness.waitForEnvelope((e) => e.topic === 'message.sender.user');
    assert.equal(envelope.delivery_attempt, '2');
    assert.equal(envelope.data.message.phone_number, USER);
    assert.equal(envelope.data.message.userName, 'Thandi');
    assert.deepEqual(envelope.data.message.message_content, { text: 'hi' });
    assert.equal(harness.badSignatures(), 0);
    await expect(ticks).toHaveAccessibleName('Delivered');

    await post({ type: 'text', text: { body: 'Welcome to *CIPC filing*.\nLet us start.' } });
    await expect(page.locator('strong', { hasText: 'CIPC filing' })).toBeVisible();
    await expect(ticks).toHaveAccessibleName('Read');
    await expect(ticks).toHaveAttribute('data-status', 'read');
  });

  it('taps a reply button and the business gets a BUTTON_REPLY with its title; the phone reads the message', async () => {
    const wamid = await post({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Is this ACME (PTY) LTD?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'company-yes', title: 'Yes, that is us' } },
            { type: 'reply', reply: { id: 'company-no', title: 'No' } },
          ],
        },
      },
    });
    await page.getByRole('button', { name: 'Yes, that is us' }).click();
    const reply = await harness.waitForEnvelope((e) => e.data.message.message_type === 'BUTTON_REPLY');
    assert.deepEqual(reply.data.message.message_content, { title: 'Yes, that is us' });
    assert.deepEqual(reply.data.message.context, { from: '27600000000', id: wamid });
    await harness.waitForEnvelope(
      (e) => e.data.message.messageId === wamid && e.data.message.status === 'READ',
    );
    const statuses = harness.accepted
      .filter((e) => e.topic === 'message.status.updated' && e.data.message.messageId === wamid)
      .map((e) => e.data.message.status);
    assert.deepEqual(statuses, ['SENT', 'DELIVERED', 'READ']);
  });

  it('opens a list as a sheet, taps a row, and shows documents and links', async () => {
    await post({
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'What was the turnover for 2024?' },
        action: {
          button: 'Choose turnover',
          sections: [
            {
              title: 'Turnover',
              rows: [
                { id: 'to-lt-1m', title: 'Under R1 million', description: 'Fee R100 on time' },
                { id: 'to-1m-10m', title: 'R1m to R10m', description: 'Fee R450 on time' },
              ],
            },
          ],
        },
      },
    });
    await page.getByRole('button', { name: 'Choose turnover' }).click();
    const sheet = page.getByRole('dialog', { name: 'Choose turnover' });
    await expect(sheet).toBeVisible();
    await sheet.getByRole('button', { name: /R1m to R10m/ }).click();
    await expect(sheet).toBeHidden();
    const reply = await harness.waitForEnvelope((e) => e.data.message.message_type === 'LIST_REPLY');
    assert.deepEqual(reply.data.message.message_content, {
      title: 'R1m to R10m',
      description: 'Fee R450 on time',
    });

    await post({
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        body: { text: 'Your quote is R299.' },
        action: {
          name: 'cta_url',
          parameters: { display_text: 'Pay now', url: 'https://pay.example.test/p/abc' },
        },
      },
    });
    await expect(page.getByRole('link', { name: 'Pay now' })).toHaveAttribute(
      'href',
      'https://pay.example.test/p/abc',
    );
    await post({
      type: 'document',
      document: { link: 'https://files.example.test/cert.pdf', filename: 'AR-certificate.pdf' },
    });
    await expect(page.getByRole('link', { name: 'Document AR-certificate.pdf' })).toHaveAttribute(
      'href',
      'https://files.example.test/cert.pdf',
    );
  });
});
