import pino from 'pino';
import { loadConfig } from '../config/load-config.js';
import type { OperationsAlert } from '../filing-worker/activities/create-database-activities.js';
import { startFilingWorker } from '../filing-worker/start-filing-worker.js';
import { createFilingTestWorld, TODAY } from '../filing-worker/testing/filing-test-world.js';
import {
  FILE_ANNUAL_RETURNS_WORKFLOW,
  type FilingResult,
  filingWorkflowId,
} from '../flows/filing/file-annual-returns.js';
import { freePort } from './free-port.js';
import { paidBenchOrders } from './paid-bench-orders.js';
import { type Memory, sampleMemory } from './sample-memory.js';
import { findTemporalCli, startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server.js';

const CAPTCHA_PROCESSING_MS = 500;
const CAPTCHA_POLL_MS = 250;
const SAMPLE_MS = 500;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

/**
 * BENCH_FILINGS (default 50) paid orders queued at once and filed by one worker at the configured
 * FILING_CONCURRENCY (default 4) against the CIPC portal and 2Captcha sandboxes: wall time, filings per
 * minute, peak memory of this process plus Chromium, peak browser contexts, captcha tasks per filing, and
 * each year paid once.
 */
export async function benchFiling(): Promise<void> {
  const count = Number(process.env.BENCH_FILINGS ?? 50);
  if (!Number.isInteger(count) || count < 1) throw new Error(`BENCH_FILINGS must be a positive integer`);
  const concurrency = loadConfig({ FILING_CONCURRENCY: process.env.FILING_CONCURRENCY }).filingConcurrency;

  let temporal: TemporalDevServer | undefined;
  let address = process.env.TEMPORAL_ADDRESS;
  if (!address) {
    const cli = findTemporalCli();
    if (!cli) throw new Error('no Temporal CLI (npm run setup installs one) and no TEMPORAL_ADDRESS');
    temporal = await startTemporalDevServer(cli, { port: await freePort() });
    address = temporal.address;
  }
  // The test world (sandboxes, database, data dir, client, paid orders) finds Temporal here.
  process.env.TEST_TEMPORAL_ADDRESS = address;
  const world = await createFilingTestWorld().catch(async (err) => {
    await temporal?.stop();
    throw err;
  });
  const alerts: OperationsAlert[] = [];
  const worker = await startFilingWorker({
    temporalAddress: address,
    namespace: 'default',
    taskQueue: world.taskQueue,
    config: { ...world.config, filingConcurrency: concurrency },
    db: world.db,
    logger: pino({ level: 'error' }, pino.destination(2)),
    alert: (alert) => alerts.push(alert),
    tuning: { captchaPollMs: CAPTCHA_POLL_MS },
  });
  // A rejection the worker leaves unhandled would end this process before it cleans up: count it instead.
  const stray: unknown[] = [];
  const onStray = (reason: unknown) => {
    stray.push(reason);
    console.error('unhandled rejection in the filing worker:', reason);
  };
  process.on('unhandledRejection', onStray);
  let sampler: NodeJS.Timeout | undefined;
  try {
    world.twoCaptcha.setFaults({ processingMs: CAPTCHA_PROCESSING_MS });
    const today = TODAY.toISOString().slice(0, 10);
    const orders = await paidBenchOrders(count, { today, portal: world.portal, paidOrder: world.paidOrder });
    const owed = orders.reduce((sum, order) => sum + order.cipcFeeCents, 0);
    world.portal.setBalance('SANDBOX1', owed + 1_000_00);
    const years = orders.reduce((sum, order) => sum + order.years.length, 0);

    console.log(
      `\nFiling benchmark: ${count} paid orders (${years} annual returns, R${owed / 100}), ` +
        `FILING_CONCURRENCY ${concurrency}, portal day ${today}, 2Captcha solves in ${CAPTCHA_PROCESSING_MS} ms, ` +
        `worker polls it every ${CAPTCHA_POLL_MS} ms, other tuning at production defaults, Temporal at ${address}`,
    );

    let peak: Memory = { rssKb: 0, pssKb: 0, chromiumProcesses: 0 };
    const sample = () =>
      sampleMemory().then(
        (m) => {
          peak = {
            rssKb: Math.max(peak.rssKb, m.rssKb),
            pssKb: Math.max(peak.pssKb, m.pssKb),
            chromiumProcesses: Math.max(peak.chromiumProcesses, m.chromiumProcesses),
          };
        },
        () => {},
      );
    const before = world.twoCaptcha.counters();
    sampler = setInterval(sample, SAMPLE_MS);
    const startedAt = performance.now();
    const durations: number[] = [];
    const results: FilingResult[] = await Promise.all(
      orders.map(async (order) => {
        const handle = await world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
          taskQueue: world.taskQueue,
          workflowId: filingWorkflowId(order.orderId),
          args: [order],
        });
        const result: FilingResult = await handle.result();
        durations.push(performance.now() - startedAt);
        return result;
      }),
    );
    const wallMs = performance.now() - startedAt;
    clearInterval(sampler);
    await sample();
    const after = world.twoCaptcha.counters();

    const wrong = orders.flatMap((order, i) => {
      const filed = world.portal.filings(order.registrationNumber);
      const problems = order.years
        .filter(({ year }) => filed.find((f) => f.year === year)?.paidCount !== 1)
        .map(({ year }) => `${order.registrationNumber} ${year}`);
      if (results[i]?.status !== 'filed') problems.push(`${order.registrationNumber}: ${results[i]?.status}`);
      return problems;
    });
    const tasks = after.tasksCreated - before.tasksCreated;
    const browsers = worker.browserStats();
    durations.sort((a, b) => a - b);
    console.table([
      {
        orders: count,
        concurrency,
        'wall s': (wallMs / 1000).toFixed(1),
        'filings/min': ((count / wallMs) * 60_000).toFixed(1),
        'half done at s': (percentile(durations, 50) / 1000).toFixed(1),
        'peak RSS MB': Math.round(peak.rssKb / 1024),
        'peak PSS MB': Math.round(peak.pssKb / 1024),
        'peak Chromium procs': peak.chromiumProcesses,
        'peak browser contexts': browsers.peakContextsOpen,
        'Chromium launches': browsers.browsersLaunched,
        'captcha tasks/filing': (tasks / count).toFixed(2),
        reportIncorrect: after.reportsIncorrect - before.reportsIncorrect,
        alerts: alerts.length,
        'unhandled rejections': stray.length,
      },
    ]);
    console.log(
      wrong.length === 0
        ? `Portal: all ${years} years of the ${count} orders filed and paid exactly once (paidCount 1).`
        : `Portal: NOT filed and paid exactly once: ${wrong.join(', ')}`,
    );
    if (wrong.length > 0) throw new Error(`${wrong.length} filings not paid exactly once`);
  } finally {
    clearInterval(sampler);
    process.off('unhandledRejection', onStray);
    await worker.stop().catch(() => {});
    await world.close();
    await temporal?.stop();
  }
}
