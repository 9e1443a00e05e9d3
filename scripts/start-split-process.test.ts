/**
 * `npm run start:bot` and `npm run start:worker` as real processes on PostgreSQL and Temporal, with no
 * provider credentials: the service serves every sandbox, the worker reaches them at PUBLIC_BASE_URL, and
 * an owner chats, pays with PayFast and gets the certificate, the filing run by the other process.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright';
import { launchTestChromium } from '../config/testing/launch-test-chromium.js';
import { orders } from '../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../db/test-database.js';
import { filingWorkflowId } from '../flows/filing/file-annual-returns.js';
import { freePort } from './free-port.js';
import { healthWithin, type LaunchedScript, launchScript } from './launch-script.js';
import { chatToPaymentLink, seen } from './testing/chat-to-payment-link.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
const packageScripts: Record<string, string> = JSON.parse(readFileSync('package.json', 'utf8')).scripts;

/** The environment a laptop gives the two processes: no provider variable at all. */
function splitEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    ...(process.env.CHROMIUM_PATH && { CHROMIUM_PATH: process.env.CHROMIUM_PATH }),
    ...extra,
  };
}

function scriptOf(npmScript: string): string {
  return (packageScripts[npmScript] ?? '').replace(/^tsx /, '');
}

describe('start:bot and start:worker without credentials', () => {
  it('each exits 78 naming TEMPORAL_ADDRESS and DATABASE_URL when they are missing', async () => {
    for (const name of ['start:bot', 'start:worker']) {
      const run = launchScript(scriptOf(name), splitEnv({ DATA_DIR: join(tmpdir(), 'cipc-never-made') }));
      assert.equal(await run.exited, 78, run.output());
      assert.match(run.output(), /TEMPORAL_ADDRESS and DATABASE_URL must be set/);
    }
  });
});

describe('start:bot and start:worker as separate processes', {
  skip: (!address || !process.env.TEST_DATABASE_URL) && 'needs TEST_TEMPORAL_ADDRESS and TEST_DATABASE_URL',
}, () => {
  let database: TestDatabase;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  let namespace: string;
  let bot: LaunchedScript;
  let worker: LaunchedScript;
  const stops: (() => Promise<unknown>)[] = [];

  before(async () => {
    const parent = await mkdtemp(`${tmpdir()}/cipc-split-`);
    stops.push(() => rm(parent, { recursive: true, force: true }));
    // Missing on purpose: start:bot creates it (it used to die with ENOENT).
    dataDir = join(parent, 'data');
    database = await createTestDatabase();
    stops.push(() => database.close());
    // A namespace of its own: other tests' workers poll the `filing` queue of this Temporal server.
    namespace = `split-${randomBytes(4).toString('hex')}`;
    const connection = await Connection.connect({ address });
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await connection.close();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = splitEnv({
      DATABASE_URL: database.url as string,
      TEMPORAL_ADDRESS: address as string,
      TEMPORAL_NAMESPACE: namespace,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: base,
      DATA_DIR: dataDir,
      FILING_CONCURRENCY: '1',
    });
    bot = launchScript(scriptOf('start:bot'), env);
    worker = launchScript(scriptOf('start:worker'), env);
    stops.push(
      () => bot.stop('SIGKILL'),
      () => worker.stop('SIGKILL'),
    );
    browser = await launchTestChromium();
    stops.push(() => browser.close());
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it('serves the sandboxes, and a filing runs end to end across the two processes', async () => {
    const health = await healthWithin(`${base}/api/v1/health`, 90_000);
    assert.equal(
      health.status,
      200,
      `health ${JSON.stringify(health.body)}\nbot:\n${bot.output()}\nworker:\n${worker.output()}`,
    );
    assert.ok(existsSync(dataDir), 'start:bot created DATA_DIR');
    // Every provider's sandbox answers on the service (any answer but "no such route").
    for (const [method, path] of [
      ['GET', '/sandbox/phone'],
      ['POST', '/sandbox/aisensy/campaign/t1/api/v2'],
      ['POST', '/sandbox/payfast/eng/process'],
      ['GET', '/sandbox/ozow/GetTransactionByReference'],
      ['POST', '/sandbox/2captcha/getBalance'],
      ['GET', '/sandbox/cipc/'],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method, redirect: 'manual' });
      assert.notEqual(response.status, 404, `${method} ${path} is served`);
    }

    const page = await browser.newPage();
    await page.goto(`${base}/sandbox/phone?phone=27825559101&name=Thandi`);
    const { payUrl } = await chatToPaymentLink(page, {
      number: '2019/123456/07',
      confirm: /Is this ACME TRADING \(PTY\) LTD/,
      years: [2025, 2026],
      band: /Under R1 million/,
      total: 'R499.00',
    }).catch((err: unknown) => {
      // What the two processes said is what tells why the chat stalled.
      throw new Error(`${err}\nbot:\n${bot.output()}\nworker:\n${worker.output()}`);
    });
    const pay = await browser.newPage();
    await pay.goto(payUrl);
    await pay.getByRole('link', { name: /PayFast/ }).click();
    await pay.getByRole('button', { name: /Pay R/ }).click();
    await pay.waitForURL(/\/return/, { timeout: 30_000 });
    await seen(page, /\.pdf/i, 180_000);

    const [order] = await database.db
      .select()
      .from(orders)
      .where(eq(orders.companyName, 'ACME TRADING (PTY) LTD'));
    assert.equal(order?.status, 'filed');
    const certificate = await fetch(`${base}/files/certificates/${order?.id}.pdf`);
    assert.equal(certificate.status, 200, 'the service serves the certificate the worker wrote');
    const connection = await Connection.connect({ address });
    after(() => connection.close());
    const filing = new Client({ connection, namespace }).workflow.getHandle(
      filingWorkflowId(order?.id as string),
    );
    assert.equal((await filing.describe()).status.name, 'COMPLETED', 'the worker process ran the filing');

    assert.equal(await bot.stop(), 0, bot.output());
    assert.equal(await worker.stop(), 0, worker.output());
  });
});
