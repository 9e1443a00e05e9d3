import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedUnpaidOrder } from '../../bot/routes/pay/testing/seed-unpaid-order.js';
import { type RunningBot, startBot } from '../../bot/start-bot.js';
import { testConfig } from '../../bot/testing/build-test-app.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import {
  serveWorkerMetrics,
  type WorkerMetricsServer,
} from '../../filing-worker/metrics/serve-worker-metrics.js';
import { workerMetrics } from '../../filing-worker/metrics/worker-metrics.js';
import { freePort } from '../free-port.js';
import { ALERTS_FILE, alertRules } from './alert-rules.js';

const prometheusInstalled = spawnSync('prometheus', ['--version']).status === 0;

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      assert.fail(`${what} did not happen in ${timeoutMs} ms${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * A real Prometheus (Debian's package) scraping the running service and a filing worker's metrics endpoint
 * every second, with our alert rules loaded: both targets come up, and a rule's expression evaluates over
 * what was scraped (a paid order whose CIPC fee exceeds the prepaid balance the worker last read).
 */
describe('Prometheus scraping the service and the worker', {
  skip:
    !prometheusInstalled &&
    "prometheus is not installed (npm run setup installs Debian's prometheus package)",
}, () => {
  let database: TestDatabase;
  let bot: RunningBot;
  let worker: WorkerMetricsServer;
  let prometheus: ChildProcess;
  let dir: string;
  let api: string;
  let output = '';

  before(async () => {
    database = await createTestDatabase();
    bot = await startBot({
      config: { ...testConfig, port: 0, host: '127.0.0.1' },
      database,
      temporalAddress: '127.0.0.1:1',
    });
    worker = await serveWorkerMetrics(0, '127.0.0.1');
    dir = await mkdtemp(join(tmpdir(), 'cipc-prometheus-'));
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [ALERTS_FILE],
      scrape_configs: [
        { job_name: 'cipc-service', static_configs: [{ targets: [new URL(bot.url).host] }] },
        { job_name: 'cipc-filing-worker', static_configs: [{ targets: [new URL(worker.url).host] }] },
      ],
    };
    // JSON is YAML: no writer needed.
    await writeFile(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (chunk) => (output += chunk));
    prometheus.stderr?.on('data', (chunk) => (output += chunk));
  });
  after(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((done) => prometheus.once('exit', done));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await worker?.close();
    await bot?.stop();
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const query = async (expression: string) => {
    const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expression)}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    assert.equal(body.status, 'success', body.error);
    return body.data.result;
  };

  it('sees both targets up', async () => {
    const health = await eventually(`both targets up (prometheus said: ${output.slice(-500)})`, async () => {
      const response = await fetch(`${api}/api/v1/targets`);
      const { data } = (await response.json()) as {
        data: { activeTargets: { labels: { job: string }; health: string }[] };
      };
      const up = data.activeTargets.filter((target) => target.health === 'up').map((t) => t.labels.job);
      return up.length === 2 ? up.sort() : undefined;
    });
    assert.deepEqual(health, ['cipc-filing-worker', 'cipc-service']);
    const up = await query('up');
    assert.deepEqual(
      up.map((sample) => sample.value[1]),
      ['1', '1'],
    );
  });

  it('loads the alert rules and evaluates one over what it scraped', async () => {
    const rules = await eventually('the rules loaded', async () => {
      const { data } = (await (await fetch(`${api}/api/v1/rules`)).json()) as {
        data: { groups: { rules: { name: string; health: string; state: string }[] }[] };
      };
      const all = data.groups.flatMap((group) => group.rules);
      return all.length > 0 ? all : undefined;
    });
    assert.equal(rules.length, alertRules().length);
    assert.ok(
      rules.every((rule) => rule.health !== 'err'),
      JSON.stringify(rules),
    );

    const rule = alertRules().find((r) => r.alert === 'CipcBalanceBelowQueuedFilings');
    assert.ok(rule);
    // A paid order (R600 of CIPC fees) the worker's last reading of the balance (R1) does not cover.
    await seedUnpaidOrder(database.db, { status: 'paid', paidAt: new Date() });
    workerMetrics.cipcBalanceCents.set(100);
    const result = await eventually('the rule expression to hold', async () => {
      const samples = await query(rule.expr);
      return samples.length === 1 ? samples : undefined;
    });
    assert.equal(result[0]?.value[1], '100');
    const pending = await eventually('the alert to be pending', async () => {
      const response = await fetch(`${api}/api/v1/alerts`);
      const { data } = (await response.json()) as {
        data: { alerts: { labels: { alertname: string }; state: string }[] };
      };
      return data.alerts.find((alert) => alert.labels.alertname === rule.alert);
    });
    assert.equal(pending.state, 'pending', 'it waits out its `for` before firing');
  });
});
