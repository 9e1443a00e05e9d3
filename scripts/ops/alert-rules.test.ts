import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { load as loadYaml } from 'js-yaml';
import { ALERT_TESTS_FILE, ALERTS_FILE, alertRules } from './alert-rules.js';
import { exportedMetricNames } from './exported-metric-names.js';
import { promqlMetricNames } from './promql-metric-names.js';

const promtool = spawnSync('promtool', ['--version']).status === 0;

/** What the operations brief asks to be alerted about, by alert name. */
const EXPECTED = [
  'ServiceDown',
  'HighErrorRate',
  'WebhookSignatureFailures',
  'OutboxLag',
  'EngineBacklog',
  'FilingFailureRate',
  'FilingWaitingForPerson',
  'PaidButNotFiling',
  'CaptchaBalanceLow',
  'CipcBalanceBelowQueuedFilings',
];

describe('the alert rules (ops/prometheus/alerts.yml)', () => {
  const rules = alertRules();
  let exported: Set<string>;
  before(async () => {
    exported = await exportedMetricNames();
  });

  it('cover every alert the brief names, once each', () => {
    assert.deepEqual(rules.map((rule) => rule.alert).sort(), [...EXPECTED].sort());
  });

  it('link each to its runbook in the README (#runbook-<name in lower case>) and say what is wrong', () => {
    for (const rule of rules) {
      assert.equal(
        rule.annotations?.runbook_url,
        `README.md#runbook-${rule.alert.toLowerCase()}`,
        rule.alert,
      );
      assert.ok(rule.annotations?.summary, `${rule.alert} has a summary`);
      assert.match(rule.labels?.severity ?? '', /^(page|ticket)$/, `${rule.alert} has a severity`);
    }
  });

  it('ask only for metrics the service or the filing worker export', () => {
    for (const rule of rules) {
      const unknown = promqlMetricNames(rule.expr).filter((name) => !exported.has(name));
      assert.deepEqual(unknown, [], `${rule.alert} asks for ${unknown.join(', ')}`);
    }
  });

  it('each have a unit test in which they fire', () => {
    const tests = loadYaml(readFileSync(ALERT_TESTS_FILE, 'utf8')) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
    };
    const firing = new Set(
      tests.tests.flatMap((t) =>
        (t.alert_rule_test ?? []).filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname),
      ),
    );
    assert.deepEqual(
      EXPECTED.filter((name) => !firing.has(name)),
      [],
    );
  });

  it('are valid and pass their unit tests under promtool', {
    skip: !promtool && "promtool is not installed (npm run setup installs Debian's prometheus package)",
  }, () => {
    const check = spawnSync('promtool', ['check', 'rules', ALERTS_FILE], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const test = spawnSync('promtool', ['test', 'rules', ALERT_TESTS_FILE], { encoding: 'utf8' });
    assert.equal(test.status, 0, test.stdout + test.stderr);
    assert.match(test.stdout + test.stderr, /SUCCESS/);
  });
});
