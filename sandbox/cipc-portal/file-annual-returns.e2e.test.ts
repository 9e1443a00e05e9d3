import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright';
import { launchTestChromium } from '../testing/launch-test-chromium.js';
import { type CipcPortalControl, createCipcPortalSandbox } from './create-cipc-portal-sandbox.js';

const ACME = '2019/123456/07';

describe('filing ACME TRADING in a real browser', () => {
  let app: FastifyInstance;
  let control: CipcPortalControl;
  let browser: Browser;
  let portalUrl: string;

  before(async () => {
    const sandbox = createCipcPortalSandbox({ today: () => new Date('2026-11-21T08:00:00Z') });
    control = sandbox.control;
    app = Fastify();
    await app.register(sandbox.plugin, { prefix: '/cipc' });
    portalUrl = `${await app.listen({ host: '127.0.0.1', port: 0 })}/cipc`;
    browser = await launchTestChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('logs in, files 2025 and 2026, pays the fee once from the balance and downloads the certificate', async () => {
    const balanceBefore = control.balance('SANDBOX1') ?? 0;
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();

    // The portal's own image bytes, from the network, as the worker sends them to 2Captcha.
    const captchaResponse = page.waitForResponse((r) => r.url().includes('CaptchaImage.aspx'));
    await page.goto(`${portalUrl}/Login.aspx`);
    const captcha = control.captchaAnswerFor(await (await captchaResponse).body());
    assert.ok(captcha);
    await page.getByLabel('Customer code').fill('SANDBOX1');
    await page.getByLabel('Password').fill('Sandbox#2026');
    await page.getByLabel('Security code').fill(captcha);
    await page.getByLabel('I accept the terms and conditions').check();
    await page.getByRole('button', { name: 'Login' }).click();

    await page.getByRole('link', { name: 'File Annual Returns' }).first().click();
    await page.getByLabel('Enterprise number').fill(ACME);
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByLabel('Turnover for 2025 (R)').fill('850000');
    await page.getByLabel('Turnover for 2026 (R)').fill('920000');
    await page.getByRole('button', { name: 'Calculate' }).click();
    const quoted = await page.locator('#cntMain_lblTotal').textContent();
    assert.equal(quoted, 'R 300.00');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByLabel('Name of the person who keeps the accounting records').fill('Jane Dube');
    await page
      .getByLabel('ID or registration number of the person who keeps the accounting records')
      .fill('8001015009087');
    await page
      .getByLabel('Name of the person who prepared the financial statements')
      .fill('Dube Accounting CC');
    await page.getByLabel(/practice number of the person who prepared/).fill('2001/012345/23');
    await page.getByLabel('Independently reviewed').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Pay from prepaid balance' }).click();

    await page.getByRole('heading', { name: 'Annual Return Filing Confirmation' }).waitFor();
    const references = await page
      .getByRole('table', { name: 'Filed annual returns' })
      .locator('td')
      .allTextContents();
    assert.equal(references.filter((text) => /^AR\d{11}$/.test(text)).length, 2);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download certificate for 2026' }).click();
    const pdf = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of pdf) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).subarray(0, 5).toString(), '%PDF-');

    await page.getByRole('link', { name: 'Enterprise Search' }).click();
    await page.getByLabel('Enterprise number').fill(ACME);
    // The real search posts through the magnifier link (a LinkButton), not a submit button.
    await page.getByRole('link', { name: 'Search', exact: true }).click();
    const details = page.getByRole('table', { name: 'Enterprise details' });
    assert.equal(
      await details
        .getByRole('row', { name: /Outstanding Annual Returns/ })
        .locator('td')
        .textContent(),
      'None',
    );
    const history = await page.getByRole('table', { name: 'Annual return history' }).locator('tr').count();
    assert.equal(history, 1 + 7);
    await context.close();

    assert.equal(control.balance('SANDBOX1'), balanceBefore - 300_00);
    const filed = control.filings(ACME).filter((f) => f.year >= 2025);
    assert.deepEqual(
      filed.map((f) => [f.year, f.paidCount, f.feeCents, f.late]),
      [
        [2025, 1, 150_00, true],
        [2026, 1, 150_00, true],
      ],
    );
    assert.deepEqual(control.outstandingYears(ACME), []);
  });
});
