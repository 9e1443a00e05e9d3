import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { load as loadYaml } from 'js-yaml';
import { exportedMetricNames } from './exported-metric-names.js';
import { promqlMetricNames } from './promql-metric-names.js';

const grafana = new URL('../../ops/grafana/', import.meta.url);
const promtool = spawnSync('promtool', ['--version']).status === 0;

interface Panel {
  title: string;
  type: string;
  datasource?: { uid: string };
  targets?: { expr: string }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const load = async (name: string): Promise<Dashboard> =>
  JSON.parse(await readFile(new URL(`dashboards/${name}.json`, grafana), 'utf8'));
const panelsOf = (dashboard: Dashboard): Panel[] =>
  dashboard.panels
    .flatMap((panel) => [panel, ...(panel.panels ?? [])])
    .filter((panel) => panel.type !== 'row');
const queries = (dashboard: Dashboard) =>
  panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })),
  );

describe('the Grafana dashboards (ops/grafana)', () => {
  let dashboards: Dashboard[];
  let exported: Set<string>;
  before(async () => {
    dashboards = [await load('operations'), await load('business')];
    exported = await exportedMetricNames();
  });

  it('query only metrics the service or the filing worker export', () => {
    for (const dashboard of dashboards) {
      for (const { panel, expr } of queries(dashboard)) {
        const unknown = promqlMetricNames(expr).filter((name) => !exported.has(name));
        assert.deepEqual(unknown, [], `${dashboard.title} / ${panel} asks for ${unknown.join(', ')}`);
      }
    }
  });

  it('give every panel a query on the provisioned Prometheus data source', async () => {
    const datasources = loadYaml(
      await readFile(new URL('provisioning/datasources/prometheus.yml', grafana), 'utf8'),
    ) as { datasources: { uid: string }[] };
    const uid = datasources.datasources[0]?.uid;
    for (const dashboard of dashboards) {
      for (const panel of panelsOf(dashboard)) {
        assert.ok((panel.targets ?? []).length > 0, `${dashboard.title} / ${panel.title} has a query`);
        assert.equal(panel.datasource?.uid, uid, `${dashboard.title} / ${panel.title}`);
      }
    }
    assert.deepEqual(dashboards.map((d) => d.uid).sort(), ['cipc-business', 'cipc-operations']);
  });

  it('show what operations and the business ask for', () => {
    const [operations, business] = dashboards as [Dashboard, Dashboard];
    const sections = (d: Dashboard) => d.panels.filter((p) => p.type === 'row').map((p) => p.title);
    assert.deepEqual(sections(operations), [
      'Traffic and latency',
      'Engine and outbox',
      'Filings',
      '2Captcha and balances',
    ]);
    const asked = (d: Dashboard) => queries(d).flatMap((q) => promqlMetricNames(q.expr));
    for (const metric of [
      'outbox_lag_seconds',
      'engine_events',
      'filings_finished_total',
      'cipc_prepaid_balance_cents',
      'captcha_balance_usd',
    ]) {
      assert.ok(asked(operations).includes(metric), `operations shows ${metric}`);
    }
    const funnel = queries(business).filter((q) => q.panel.startsWith('Funnel'));
    assert.deepEqual(
      funnel.map((q) => /step="(\w+)"/.exec(q.expr)?.[1]),
      ['conversation', 'consent', 'quote', 'paid', 'filed'],
    );
    assert.ok(asked(business).includes('revenue_cents'));
  });

  it('are valid PromQL (promtool parses each query as a recording rule)', {
    skip: !promtool && "promtool is not installed (npm run setup installs Debian's prometheus package)",
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cipc-dashboard-queries-'));
    try {
      const rules = dashboards.flatMap((d) =>
        queries(d).map((q) => q.expr.replaceAll('$__rate_interval', '5m')),
      );
      const file = join(dir, 'queries.yml');
      // JSON is YAML.
      const groups = [
        { name: 'dashboards', rules: rules.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) },
      ];
      await writeFile(file, JSON.stringify({ groups }));
      const check = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
