/**
 * Test support (imported by tests only): the CIPC portal and 2Captcha sandboxes on 127.0.0.1:0, a fresh
 * database, a private data dir, a filing worker on its own task-queue pair, a Temporal client, and
 * helpers to create paid orders and read back the events a workflow stored.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { asc, like } from 'drizzle-orm';
import Fastify from 'fastify';
import pino from 'pino';
import { encryptionKeys } from '../../config/encryption-key.js';
import { events } from '../../db/schema.js';
import { createTestDatabase } from '../../db/test-database.js';
import type { OrderToFile } from '../../flows/filing/file-annual-returns.js';
import { createCipcPortalSandbox } from '../../sandbox/cipc-portal/create-cipc-portal-sandbox.js';
import { createTwoCaptchaSandbox } from '../../sandbox/twocaptcha/create-two-captcha-sandbox.js';
import type { OperationsAlert } from '../activities/create-database-activities.js';
import {
  type FilingWorkerConfig,
  type FilingWorkerTuning,
  type RunningFilingWorker,
  startFilingWorker,
} from '../start-filing-worker.js';
import { insertPaidOrder } from './insert-paid-order.js';

export const TODAY = new Date('2026-11-21T08:00:00Z');
const TWOCAPTCHA_KEY = 'test-2captcha-key';

export async function createFilingTestWorld() {
  const address = process.env.TEST_TEMPORAL_ADDRESS as string;
  const portal = createCipcPortalSandbox({ today: () => TODAY });
  const twoCaptcha = createTwoCaptchaSandbox({
    apiKey: TWOCAPTCHA_KEY,
    solve: (image) => portal.control.captchaAnswerFor(image),
  });
  const app = Fastify();
  await app.register(portal.plugin, { prefix: '/cipc' });
  await app.register(twoCaptcha.plugin, { prefix: '/2captcha' });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'filing-worker-'));
  const config: FilingWorkerConfig = {
    cipc: {
      mode: 'sandbox',
      portalUrl: `${base}/cipc`,
      customerCode: 'SANDBOX1',
      password: 'Sandbox#2026',
    },
    twocaptcha: { mode: 'sandbox', apiUrl: `${base}/2captcha`, apiKey: TWOCAPTCHA_KEY },
    chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    filingConcurrency: 2,
    dataDir,
    publicBaseUrl: 'https://service.test',
    encryptionKeys: [randomBytes(32).toString('hex')],
    retention: { leadDays: 90, artefactDays: 365 },
  };
  const taskQueue = `filing-test-${randomUUID()}`;
  const alerts: OperationsAlert[] = [];
  const workers: RunningFilingWorker[] = [];
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });

  /** A worker on the world's task queues; `tuning` adds to the test timings. */
  const startWorker = async (tuning: FilingWorkerTuning = {}) => {
    const worker = await startFilingWorker({
      temporalAddress: address,
      namespace: 'default',
      taskQueue,
      config,
      db: database.db,
      alert: (alert) => alerts.push(alert),
      logger: pino({ level: 'silent' }),
      tuning: {
        captchaPollMs: 20,
        captchaNoSlotBackoffMs: 20,
        portalMinTimeMs: 0,
        maintenancePollMs: 500,
        maintenanceMaxWaitMs: 60_000,
        ...tuning,
      },
    });
    workers.push(worker);
    return worker;
  };

  return {
    base,
    taskQueue,
    portal: portal.control,
    twoCaptcha: twoCaptcha.control,
    db: database.db,
    dataDir,
    config,
    client,
    alerts,
    startWorker,

    /** A paid order with encrypted FAS details, as the engine leaves it before starting the filing. */
    paidOrder: (registrationNumber: string, years: OrderToFile['years'], companyName?: string) =>
      insertPaidOrder(
        database.db,
        encryptionKeys(config)[0] as Buffer,
        registrationNumber,
        years,
        companyName,
      ),

    /** Payloads of the events stored under dedupe keys starting with `prefix`, in order. */
    async eventsFor(prefix: string): Promise<Record<string, unknown>[]> {
      const rows = await database.db
        .select()
        .from(events)
        .where(like(events.dedupeKey, `${prefix}%`))
        .orderBy(asc(events.id));
      return rows.map((row) => row.payload as Record<string, unknown>);
    },

    async close() {
      for (const worker of workers) await worker.stop().catch(() => {});
      await connection.close();
      await app.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
export type FilingTestWorld = Awaited<ReturnType<typeof createFilingTestWorld>>;

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await sleep(100);
  }
}
