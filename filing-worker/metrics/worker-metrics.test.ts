import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  FILE_ANNUAL_RETURNS_WORKFLOW,
  type FilingResult,
  filingWorkflowId,
} from '../../flows/filing/file-annual-returns.js';
import { createFilingTestWorld, type FilingTestWorld } from '../testing/filing-test-world.js';
import { serveWorkerMetrics, type WorkerMetricsServer } from './serve-worker-metrics.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
/** ACME in the portal sandbox: 2025 and 2026 outstanding, both late. */
const NUMBER = '2019/123456/07';

/** `name{labels} value` lines of a Prometheus exposition, summed over the series matching `labels`. */
function sampleOf(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let seen = false;
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      sum += Number(match[3]);
      seen = true;
    }
  }
  return seen ? sum : Number.NaN;
}

/**
 * The worker's /metrics around one real filing (Temporal, the portal and 2Captcha sandboxes, Chromium),
 * with two wrong captcha readings and a busy 2Captcha on the way: the filing's end and duration, the
 * captcha's solve time, retries and cost, both balances.
 */
describe('the filing worker metrics after a filing', { skip: !address && 'no TEST_TEMPORAL_ADDRESS' }, () => {
  let world: FilingTestWorld;
  let server: WorkerMetricsServer;
  const scrape = async () => (await fetch(`${server.url}/metrics`)).text();

  before(async () => {
    world = await createFilingTestWorld();
    await world.startWorker();
    server = await serveWorkerMetrics(0, '127.0.0.1');
  });
  after(async () => {
    await server?.close();
    await world?.close();
  });

  it('counts the filing, its duration, the captcha work and reads both balances', {
    timeout: 240_000,
  }, async () => {
    const before = await scrape();
    const was = (name: string, labels?: Record<string, string>) => sampleOf(before, name, labels) || 0;
    world.twoCaptcha.setFaults({ wrongAnswers: 2, noSlot: 1 });
    const order = await world.paidOrder(NUMBER, [
      { year: 2025, turnoverBandId: 'company-under-1m', late: true, feeCents: 150_00 },
      { year: 2026, turnoverBandId: 'company-under-1m', late: true, feeCents: 150_00 },
    ]);
    const handle = await world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: filingWorkflowId(order.orderId),
      args: [order],
    });
    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'filed');

    const after = await scrape();
    const grew = (name: string, labels?: Record<string, string>) =>
      sampleOf(after, name, labels) - was(name, labels);
    assert.equal(grew('filings_finished_total', { outcome: 'filed' }), 1);
    assert.equal(grew('filing_duration_seconds_count', { outcome: 'filed' }), 1);
    assert.ok(grew('filing_duration_seconds_sum', { outcome: 'filed' }) > 0);
    assert.equal(grew('captcha_solve_seconds_count'), 3, 'three readings: two wrong, one right');
    assert.equal(grew('captcha_wrong_answers_total'), 2);
    assert.ok(grew('captcha_no_slot_retries_total') >= 1);
    assert.ok(grew('captcha_cost_usd_total') > 0);
    assert.equal(sampleOf(after, 'cipc_prepaid_balance_cents') > 0, true, 'read on the home page');
    assert.equal(sampleOf(after, 'captcha_balance_usd') > 0, true, 'read when the worker started');
    assert.match(after, /^# TYPE portal_errors_total counter$/m);
  });

  it('answers 404 for anything but GET /metrics', async () => {
    assert.equal((await fetch(`${server.url}/`)).status, 404);
    assert.equal((await fetch(`${server.url}/metrics`, { method: 'POST' })).status, 404);
  });
});
