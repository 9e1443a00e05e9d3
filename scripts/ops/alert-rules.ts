import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';

export const ALERTS_FILE = fileURLToPath(new URL('../../ops/prometheus/alerts.yml', import.meta.url));
export const ALERT_TESTS_FILE = fileURLToPath(
  new URL('../../ops/prometheus/alerts.test.yml', import.meta.url),
);

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The alerting rules of ops/prometheus/alerts.yml, every group's. */
export function alertRules(): AlertRule[] {
  const file = loadYaml(readFileSync(ALERTS_FILE, 'utf8')) as { groups: { rules: AlertRule[] }[] };
  return file.groups.flatMap((group) => group.rules);
}
