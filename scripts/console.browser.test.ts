/**
 * The support console as an agent works it, in real Chromium against the running system (service,
 * engine, outbox, Temporal, the filing worker, and the AiSensy/PayFast/CIPC/2Captcha sandboxes): log in,
 * watch a new WhatsApp conversation arrive live, take it over, reply, see the owner's answer arrive, hand
 * back; then rescue a filing whose captcha 2Captcha could not read by typing it in the console; then read
 * each step in the audit log. With CONSOLE_SCREENSHOTS=1 it saves the main views to docs/console-*.png.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright';
import { logInAgent } from '../bot/agent/testing/log-in-agent.js';
import { type RunningBot, startBot } from '../bot/start-bot.js';
import { loadConfig } from '../config/load-config.js';
import { launchTestChromium } from '../config/testing/launch-test-chromium.js';
import { orders } from '../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../db/test-database.js';
import { startFilingWorker } from '../filing-worker/start-filing-worker.js';
import { filingWorkflowId } from '../flows/filing/file-annual-returns.js';
import { createCipcPortalSandbox } from '../sandbox/cipc-portal/create-cipc-portal-sandbox.js';
import { createTwoCaptchaSandbox } from '../sandbox/twocaptcha/create-two-captcha-sandbox.js';
import { freePort } from './free-port.js';
import { mountSandboxes } from './mount-sandboxes.js';
import { chatToPaymentLink, seen } from './testing/chat-to-payment-link.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
const screenshots = process.env.CONSOLE_SCREENSHOTS === '1';
const LIVE = 15_000;

describe('the agent console in Chromium', { skip: !address && 'no TEST_TEMPORAL_ADDRESS' }, () => {
  let database: TestDatabase;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  let bot: RunningBot;
  let agent: { email: string; password: string };
  let console_: Page;
  const stops: (() => Promise<unknown>)[] = [];
  const portal = createCipcPortalSandbox({
    customers: [
      { code: 'CONSOLE1', password: 'Console#2026', balanceCents: 5_000_000, email: 'f@example.co.za' },
    ],
  });
  const twoCaptcha = createTwoCaptchaSandbox({
    apiKey: 'console-test-key',
    solve: (image) => portal.control.captchaAnswerFor(image),
  });

  const shoot = async (page: Page, name: string) => {
    if (screenshots) await page.screenshot({ path: `docs/console-${name}.png` });
  };

  before(async () => {
    dataDir = await mkdtemp(`${tmpdir()}/cipc-console-`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The portal and 2Captcha are mounted here, not by mountSandboxes, so the test holds their controls.
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: base,
      DATA_DIR: dataDir,
      CIPC_PORTAL_URL: `${base}/sandbox/cipc`,
      CIPC_CUSTOMER_CODE: 'CONSOLE1',
      CIPC_PASSWORD: 'Console#2026',
      TWOCAPTCHA_API_URL: `${base}/sandbox/2captcha`,
      TWOCAPTCHA_API_KEY: 'console-test-key',
    });
    database = await createTestDatabase();
    bot = await startBot({
      config,
      database,
      temporalAddress: address as string,
      extraRoutes: async (app) => {
        await mountSandboxes(config)(app);
        await app.register(portal.plugin, { prefix: '/sandbox/cipc' });
        await app.register(twoCaptcha.plugin, { prefix: '/sandbox/2captcha' });
      },
    });
    stops.push(() => bot.stop());
    const worker = await startFilingWorker({
      temporalAddress: address as string,
      namespace: 'default',
      config,
      db: database.db,
      tuning: { captchaPollMs: 100, portalMinTimeMs: 0 },
    });
    stops.push(() => worker.stop());
    agent = await logInAgent(bot.app, database.db, { role: 'admin', name: 'Naledi Dlamini' });
    browser = await launchTestChromium();
    stops.push(() => browser.close());
    console_ = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop();
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const queueItem = (phone: RegExp) => console_.getByRole('link', { name: phone });
  const transcript = () => console_.getByRole('list', { name: 'Transcript' });

  it('logs in with Email and Password', async () => {
    await console_.goto(`${base}/agent`);
    await console_.getByLabel('Email').fill(agent.email);
    await console_.getByLabel('Password').fill(agent.password);
    await shoot(console_, 'login');
    await console_.getByRole('button', { name: 'Log in' }).click();
    await console_.getByRole('button', { name: 'Waiting' }).waitFor();
    assert.equal(
      await console_.getByRole('button', { name: 'Waiting' }).getAttribute('aria-pressed'),
      'true',
    );
  });

  it('shows a new WhatsApp conversation live, takes it over, replies, sees the answer, hands back', async () => {
    await console_.getByRole('button', { name: 'All' }).click();
    const phone = await browser.newPage();
    await phone.goto(`${base}/sandbox/phone?phone=27825559101&name=Sipho`);
    await phone.getByRole('textbox', { name: 'Message' }).fill('hi');
    await phone.getByRole('button', { name: 'Send' }).click();

    // No reload: the live stream brings it.
    const item = queueItem(/\+27 82 555 9101/);
    await item.waitFor({ timeout: LIVE });
    await item.click();
    await transcript().getByText('hi', { exact: true }).waitFor({ timeout: LIVE });

    await console_.getByRole('button', { name: 'Take over' }).click();
    await seen(phone, /Naledi/, 60_000);
    await console_.getByRole('textbox', { name: 'Reply' }).waitFor({ timeout: LIVE });

    await console_.getByRole('textbox', { name: 'Reply' }).fill('Hello Sipho, Naledi here. How can I help?');
    await console_.getByRole('button', { name: 'Send' }).click();
    await seen(phone, 'Hello Sipho, Naledi here. How can I help?', 60_000);

    await phone.getByRole('textbox', { name: 'Message' }).fill('When is my return due?');
    await phone.getByRole('button', { name: 'Send' }).click();
    await transcript().getByText('When is my return due?').waitFor({ timeout: LIVE });
    await shoot(console_, 'conversation');

    await console_.getByRole('button', { name: 'Hand back' }).click();
    await console_.getByRole('button', { name: 'Take over' }).waitFor({ timeout: LIVE });
    await seen(phone, /back with/i, 60_000);
    await phone.close();
  });

  it('rescues a filing 2Captcha could not read: the agent types the captcha and the filing completes', async () => {
    twoCaptcha.control.setFaults({ zeroBalance: true });
    const phone = await browser.newPage();
    await phone.goto(`${base}/sandbox/phone?phone=27825559102&name=Lerato`);
    const { payUrl } = await chatToPaymentLink(phone, {
      number: '2019/123456/07',
      confirm: /Is this ACME TRADING \(PTY\) LTD/,
      years: [2025, 2026],
      band: /Under R1 million/,
      total: 'R499.00',
    });
    const pay = await browser.newPage();
    await pay.goto(payUrl);
    await pay.getByRole('link', { name: /PayFast/ }).click();
    await pay.getByRole('button', { name: /Pay R/ }).click();
    await pay.waitForURL(/\/return/, { timeout: 30_000 });
    await pay.close();

    await console_.getByRole('button', { name: 'Waiting' }).click();
    const item = queueItem(/\+27 82 555 9102/);
    await item.waitFor({ timeout: 120_000 });
    await console_.getByRole('button', { name: 'All' }).click();
    await queueItem(/\+27 82 555 9101/).waitFor({ timeout: LIVE });
    await shoot(console_, 'queue');
    await console_.getByRole('button', { name: 'Waiting' }).click();
    await item.click();
    const image = console_.getByRole('img', { name: /security code/i });
    await image.waitFor({ timeout: LIVE });
    const src = (await image.getAttribute('src')) as string;
    const captcha = await console_.request.get(`${base}${src}`);
    assert.equal(captcha.status(), 200);
    const text = portal.control.captchaAnswerFor(Buffer.from(await captcha.body()));
    assert.ok(text, 'the console shows the image the portal asked for');
    await console_.getByRole('textbox', { name: 'Security code' }).fill(text);
    await image.scrollIntoViewIfNeeded();
    await shoot(console_, 'filing-rescue');
    await console_.getByRole('button', { name: 'Submit code' }).click();

    const [order] = await database.db
      .select()
      .from(orders)
      .where(eq(orders.companyName, 'ACME TRADING (PTY) LTD'));
    assert.ok(order);
    const connection = await Connection.connect({ address });
    try {
      await new Client({ connection }).workflow.getHandle(filingWorkflowId(order.id)).result();
    } finally {
      await connection.close();
    }
    await seen(phone, /\.pdf/i, 60_000);
    await console_.getByText('Filed', { exact: true }).waitFor({ timeout: LIVE });
    twoCaptcha.control.setFaults({ zeroBalance: false });
  });

  it('shows every step in the audit log', async () => {
    await console_.getByRole('link', { name: 'Audit' }).click();
    await console_.getByRole('table').waitFor();
    await shoot(console_, 'audit');
    for (const action of [
      'agent.logged_in',
      'conversation.viewed',
      'conversation.taken_over',
      'conversation.message_sent',
      'conversation.released',
      'filing.captcha_answered',
    ]) {
      await console_.getByRole('combobox', { name: 'Action' }).fill(action);
      await console_.getByRole('button', { name: 'Filter' }).click();
      await console_.waitForURL((url) => url.searchParams.get('action') === action);
      const rows = console_.getByRole('row').filter({ hasText: action });
      assert.ok((await rows.count()) > 0, `the audit log shows ${action}`);
      assert.match((await rows.first().textContent()) ?? '', /Naledi Dlamini/);
    }
  });
});
