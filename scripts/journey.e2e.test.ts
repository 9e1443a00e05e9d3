/**
 * The whole system, as a customer meets it: the phone simulator in real Chromium → signed AiSensy
 * webhooks → the engine → a real lookup workflow on the portal simulator → quote → payment link →
 * PayFast sandbox → ITN → payment confirmed → fileAnnualReturns in Temporal → certificate in the chat.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import type { Browser } from 'playwright';
import { startBot } from '../bot/start-bot.js';
import { loadConfig } from '../config/load-config.js';
import { loggerOptions } from '../config/logging/logger-options.js';
import { launchTestChromium } from '../config/testing/launch-test-chromium.js';
import { orders } from '../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../db/test-database.js';
import { startFilingWorker } from '../filing-worker/start-filing-worker.js';
import { filingWorkflowId } from '../flows/filing/file-annual-returns.js';
import { freePort } from './free-port.js';
import { mountSandboxes } from './mount-sandboxes.js';
import { chatToPaymentLink, seen } from './testing/chat-to-payment-link.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
const run = promisify(execFile);

describe('a customer files on WhatsApp, end to end', { skip: !address && 'no TEST_TEMPORAL_ADDRESS' }, () => {
  let database: TestDatabase;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  const stops: (() => Promise<unknown>)[] = [];
  // Everything the service and the worker log, as their log would hold it.
  const log: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      log.push(String(chunk));
      done();
    },
  });

  before(async () => {
    dataDir = await mkdtemp(`${tmpdir()}/cipc-journey-`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: base,
      DATA_DIR: dataDir,
    });
    database = await createTestDatabase();
    const bot = await startBot({
      config,
      database,
      temporalAddress: address as string,
      extraRoutes: mountSandboxes(config),
      logger: { ...loggerOptions(config), stream: logStream },
    });
    stops.push(() => bot.stop());
    const worker = await startFilingWorker({
      temporalAddress: address as string,
      namespace: 'default',
      config,
      db: database.db,
      logger: pino(loggerOptions(config), logStream),
      tuning: { captchaPollMs: 100, portalMinTimeMs: 0 },
    });
    stops.push(() => worker.stop());
    browser = await launchTestChromium();
    stops.push(() => browser.close());
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function filingOf(companyName: string) {
    const [order] = await database.db.select().from(orders).where(eq(orders.companyName, companyName));
    assert.ok(order, `an order for ${companyName}`);
    const connection = await Connection.connect({ address });
    after(() => connection.close());
    const handle = new Client({ connection }).workflow.getHandle(filingWorkflowId(order.id));
    for (let i = 0; i < 100; i++) {
      try {
        await handle.describe();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    assert.equal((await handle.describe()).type, 'fileAnnualReturns');
    return { order, handle };
  }

  it('from "hi" to the payment link, paid with PayFast, filed, and the certificate sent', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/sandbox/phone?phone=27825559001&name=Thandi`);
    const { typedOrTapped, payUrl } = await chatToPaymentLink(page, {
      number: '2019/123456/07',
      confirm: /Is this ACME TRADING \(PTY\) LTD, registered 14 March 2019\?/,
      years: [2025, 2026],
      band: /Under R1 million/,
      total: 'R499.00',
    });
    // One message more than the 8 a one-year company needs: ACME has two outstanding years.
    assert.equal(typedOrTapped, 9);

    const pay = await browser.newPage();
    await pay.goto(payUrl);
    await seen(pay, 'R499.00');
    await pay.getByRole('link', { name: /PayFast/ }).click();
    await pay.getByRole('button', { name: /Pay R/ }).click();
    await pay.waitForURL(/\/return/, { timeout: 30_000 });

    await seen(page, /payment/i, 60_000);
    const { order, handle } = await filingOf('ACME TRADING (PTY) LTD');
    await handle.result();
    await seen(page, /\.pdf/i, 60_000);
    const [filed] = await database.db.select().from(orders).where(eq(orders.id, order.id));
    assert.equal(filed?.status, 'filed');
    const certificate = await fetch(`${base}/files/certificates/${order.id}.pdf`);
    assert.equal(certificate.status, 200);
    assert.equal(certificate.headers.get('content-type'), 'application/pdf');
    assert.equal(
      Buffer.from(await certificate.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
    assert.equal((await fetch(`${base}/files/certificates/..%2F..%2Fencryption.key`)).status, 400);
  });

  it('a close corporation with one year reaches the link in 8 messages and pays with Ozow', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/sandbox/phone?phone=27825559002&name=Sipho`);
    const { typedOrTapped, payUrl } = await chatToPaymentLink(page, {
      number: 'CK2008/765432/23',
      confirm: /Is this KAROO CRAFTS CC/,
      years: [2026],
      band: /Under R50 million/,
      total: 'R449.00',
    });
    assert.equal(typedOrTapped, 8);
    const pay = await browser.newPage();
    await pay.goto(payUrl);
    await pay.getByRole('link', { name: /Ozow/ }).click();
    await pay.getByRole('button', { name: /Pay R/ }).click();
    await pay.waitForURL(/\/return/, { timeout: 30_000 });
    await seen(page, /payment/i, 60_000);
    const { handle } = await filingOf('KAROO CRAFTS CC');
    await handle.result();
    await seen(page, /\.pdf/i, 60_000);
  });

  it('left no ID number, email or FAS line in the clear: not in a pg_dump of the database, not in the audit files', {
    skip: !process.env.TEST_DATABASE_URL && 'pg_dump needs the PostgreSQL test database',
  }, async () => {
    const { stdout: dump } = await run('pg_dump', ['--no-owner', '--dbname', database.url as string], {
      maxBuffer: 256 * 1024 * 1024,
    });
    assert.match(
      dump,
      /ACME TRADING \(PTY\) LTD/,
      'the dump holds the journey (public register data stays clear)',
    );
    for (const personal of [
      '8001015009087',
      'Thandi Mokoena',
      'thandi@example.co.za',
      'thandi%40example.co.za',
    ]) {
      assert.ok(!dump.includes(personal), `the database dump holds ${personal} in the clear`);
    }
    const audit = join(dataDir, 'audit');
    const files = (await readdir(audit, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
    assert.ok(
      files.some((f) => f.name.endsWith('.png.sealed')) && files.some((f) => f.name.endsWith('.zip.sealed')),
    );
    for (const file of files.filter((f) => f.name.endsWith('.sealed'))) {
      const bytes = await readFile(join(file.parentPath, file.name));
      for (const clear of ['\x89PNG', 'PK\x03\x04', '8001015009087'])
        assert.equal(
          bytes.indexOf(clear, 0, 'latin1'),
          -1,
          `${file.name} holds ${JSON.stringify(clear)} in the clear`,
        );
    }
  });

  it('logged no phone number, ID number, email or pay token on the way, and a request id on every request line', async () => {
    const written = log.join('');
    const lines = log.flatMap((chunk) => chunk.split('\n')).filter(Boolean);
    const requestLines = lines.map((line) => JSON.parse(line)).filter((line) => line.req || line.res);
    assert.ok(requestLines.length > 50, `request lines logged: ${requestLines.length}`);
    assert.deepEqual(
      requestLines.filter((line) => typeof line.reqId !== 'string'),
      [],
    );
    const tokens = (await database.db.select({ token: orders.payToken }).from(orders)).map((o) => o.token);
    assert.equal(tokens.length, 2);
    for (const secret of ['27825559001', '27825559002', '8001015009087', 'thandi@example.co.za', ...tokens]) {
      assert.ok(!written.includes(secret), `the log holds ${secret}`);
    }
    // They were there to be logged, masked: the phone page's polling and the pay pages' URLs.
    assert.match(written, /\+27 82 ••• 9001/);
    assert.match(written, /\/pay\/\[token\]/);
  });
});
