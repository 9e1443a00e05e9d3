import type { Registry } from 'prom-client';
import { startBot } from '../../bot/start-bot.js';
import { testConfig } from '../../bot/testing/build-test-app.js';
import { createTestDatabase } from '../../db/test-database.js';
import { workerMetrics } from '../../filing-worker/metrics/worker-metrics.js';

/** Prometheus' own series about each target, beside what the targets export. */
const SYNTHETIC = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

async function seriesNames(registry: Registry): Promise<string[]> {
  return (await registry.getMetricsAsJSON()).flatMap((metric) =>
    ['histogram', 'summary'].includes(String(metric.type))
      ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`, metric.name]
      : [metric.name],
  );
}

/**
 * Every series name the service (as `npm run start:bot` starts it, on a fresh test database) and the
 * filing worker export, for checking that alert rules and dashboards ask only for what exists.
 */
export async function exportedMetricNames(): Promise<Set<string>> {
  const database = await createTestDatabase();
  const bot = await startBot({
    config: { ...testConfig, port: 0, host: '127.0.0.1' },
    database,
    temporalAddress: '127.0.0.1:1',
  });
  try {
    return new Set([
      ...SYNTHETIC,
      ...(await seriesNames(bot.app.metrics)),
      ...(await seriesNames(workerMetrics.registry)),
    ]);
  } finally {
    await bot.stop();
    await database.close();
  }
}
