import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import Bottleneck from 'bottleneck';
import type { Logger } from 'pino';
import { appVersion } from '../config/app-version.js';
import { encryptionKeys } from '../config/encryption-key.js';
import type { Config } from '../config/load-config.js';
import type { Db } from '../db/create-database.js';
import { FILING_TASK_QUEUE, portalTaskQueueFor } from '../flows/filing/task-queues.js';
import { createDatabaseActivities, type OperationsAlert } from './activities/create-database-activities.js';
import { createPortalActivities } from './activities/create-portal-activities.js';
import { createWorkerActivities } from './activities/create-worker-activities.js';
import { sweepAuditTrail } from './audit/sweep-audit-trail.js';
import { type BrowserPoolStats, createBrowserPool } from './browser/browser-pool.js';
import { openPortalSession } from './browser/open-portal-session.js';
import { checkCaptchaBalance } from './captcha/check-captcha-balance.js';
import { createTwoCaptchaClient } from './captcha/two-captcha-client.js';

export type FilingWorkerConfig = Pick<
  Config,
  | 'cipc'
  | 'twocaptcha'
  | 'chromiumPath'
  | 'filingConcurrency'
  | 'dataDir'
  | 'publicBaseUrl'
  | 'encryptionKeys'
  | 'retention'
>;

/** Timings with production defaults; tests shorten them. */
export interface FilingWorkerTuning {
  /** 2Captcha result polling (5 s, as 2Captcha asks). */
  captchaPollMs?: number;
  captchaNoSlotBackoffMs?: number;
  /** Portal-wide rate limit for this process: at least this long between requests' starts... */
  portalMinTimeMs?: number;
  /** ...and at most this many requests in flight. */
  portalMaxConcurrent?: number;
  browserRestartAfter?: number;
  maintenancePollMs?: number;
  maintenanceMaxWaitMs?: number;
  lookupCacheMs?: number;
  auditRetentionMs?: number;
}

export interface FilingWorkerOptions {
  temporalAddress: string;
  namespace: string;
  /** The workflow queue; the browser queue is derived from it (`portalTaskQueueFor`). */
  taskQueue?: string;
  /** A workflow bundle built ahead of time (scripts/bundle-workflows.ts, in the worker image); unset: bundled at start. */
  workflowBundlePath?: string;
  logger?: Logger;
  config: FilingWorkerConfig;
  db: Db;
  tuning?: FilingWorkerTuning;
  /** Where operations alerts go (default: an error log line). */
  alert?: (alert: OperationsAlert) => void;
}

export interface RunningFilingWorker {
  /** The workflow + database-activity worker and the browser-activity worker. */
  workers: Worker[];
  /** Settles when both workers have stopped (after `stop()`, or a fatal error). */
  done: Promise<void>;
  /** The browser pool's counts: Chromium launches, contexts open now and at most. */
  browserStats(): BrowserPoolStats;
  stop(): Promise<void>;
}

const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
const DAY_MS = 24 * 60 * 60_000;
let runtimeInstalled = false;

/**
 * Polls two task queues: workflows and database activities on the filing queue, browser activities on
 * the portal queue with at most `filingConcurrency` at once, all portal traffic behind one rate limit.
 */
export async function startFilingWorker(options: FilingWorkerOptions): Promise<RunningFilingWorker> {
  if (!runtimeInstalled) {
    // The SDK's runtime (and so its logger) is process-wide: install it once, quiet below warnings.
    runtimeInstalled = true;
    const log = options.logger?.child({ component: 'temporal-worker' });
    Runtime.install({
      logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
        log
          ? log[level === 'ERROR' ? 'error' : 'warn'](meta ?? {}, message)
          : console.warn(level, message, meta ?? ''),
      ),
    });
  }
  const { config, db, tuning = {} } = options;
  const taskQueue = options.taskQueue ?? FILING_TASK_QUEUE;
  const limiter = new Bottleneck({
    minTime: tuning.portalMinTimeMs ?? 200,
    maxConcurrent: tuning.portalMaxConcurrent ?? 6,
  });
  const schedule = <T>(task: () => Promise<T>) => limiter.schedule(task);
  const pool = createBrowserPool({
    executablePath: config.chromiumPath,
    restartAfter: tuning.browserRestartAfter,
    logger: options.logger,
  });
  const captcha = createTwoCaptchaClient({
    apiUrl: config.twocaptcha.apiUrl,
    apiKey: config.twocaptcha.apiKey,
    pollIntervalMs: tuning.captchaPollMs,
    noSlotBackoffMs: tuning.captchaNoSlotBackoffMs,
  });

  // Logged now and every 15 minutes, so a low 2Captcha balance is topped up before logins stop.
  const checkBalance = () => void checkCaptchaBalance(captcha, options.logger);
  checkBalance();
  const balanceTimer = setInterval(checkBalance, 15 * 60_000);
  balanceTimer.unref();

  const retentionMs = tuning.auditRetentionMs ?? config.retention.artefactDays * DAY_MS;
  const sweep = () =>
    sweepAuditTrail(config.dataDir, retentionMs).catch((err) =>
      options.logger?.warn({ err }, 'audit trail retention sweep failed'),
    );
  void sweep();
  const sweeper = setInterval(sweep, DAY_MS);
  sweeper.unref();

  const databaseActivities = createDatabaseActivities({
    db,
    portalUrl: config.cipc.portalUrl,
    schedule,
    lookupCacheMs: tuning.lookupCacheMs,
    alert: options.alert,
    logger: options.logger,
  });

  const keys = encryptionKeys(config);
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const workflowWorker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath }),
    activities: {
      ...createWorkerActivities({ version: appVersion }),
      ...databaseActivities,
    },
  });
  const portalWorker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: portalTaskQueueFor(taskQueue),
    maxConcurrentActivityTaskExecutions: config.filingConcurrency,
    activities: createPortalActivities({
      cipc: config.cipc,
      publicBaseUrl: config.publicBaseUrl,
      dataDir: config.dataDir,
      db,
      encryptionKeys: keys,
      openSession: (orderId) =>
        openPortalSession({ pool, dataDir: config.dataDir, encryptionKeys: keys, schedule }, orderId),
      captcha,
      recordMilestone: databaseActivities.recordMilestone,
      logger: options.logger,
      maintenancePollMs: tuning.maintenancePollMs,
      maintenanceMaxWaitMs: tuning.maintenanceMaxWaitMs,
    }),
  });
  const workers = [workflowWorker, portalWorker];
  const stopAll = () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  // One worker failing stops the other, so `done` settles and the process can restart as a whole.
  const runs = workers.map((worker) =>
    worker.run().catch((err: unknown) => {
      stopAll();
      throw err;
    }),
  );
  const done = Promise.all(runs)
    .then(() => {})
    .finally(async () => {
      clearInterval(sweeper);
      clearInterval(balanceTimer);
      await pool.close();
      await limiter.stop({ dropWaitingJobs: true }).catch(() => {});
      await connection.close();
    });
  return {
    workers,
    done,
    browserStats: () => pool.stats(),
    async stop() {
      stopAll();
      await done;
    },
  };
}
