import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promqlMetricNames } from './promql-metric-names.js';

describe('promqlMetricNames', () => {
  it('finds the metrics of an expression, not its functions, labels, keywords or variables', () => {
    assert.deepEqual(
      promqlMetricNames(
        'sum by (provider) (increase(webhook_requests_total{outcome="signature_rejected", x=~"a|b"}[$__rate_interval])) / on (job) group_left sum(rate(http_request_duration_seconds_count[5m])) > 0.05 and up offset 5m',
      ).sort(),
      ['http_request_duration_seconds_count', 'up', 'webhook_requests_total'],
    );
  });

  it('reads names next to operators and in histogram_quantile', () => {
    assert.deepEqual(
      promqlMetricNames(
        'histogram_quantile(0.99, sum by (le) (rate(engine_batch_seconds_bucket[5m])))*1e3+orders',
      ),
      ['engine_batch_seconds_bucket', 'orders'],
    );
  });
});
