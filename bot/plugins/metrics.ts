import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Db } from '../../db/create-database.js';
import { registerBusinessMetrics } from '../metrics/business-metrics.js';
import { countWebhookRequests } from '../metrics/count-webhook-requests.js';
import { engineBatchSeconds } from '../metrics/engine-batch-seconds.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

export interface MetricsOptions {
  /** With a database, /metrics also reports the figures read from it (`registerBusinessMetrics`). */
  db?: Db;
}

/** Prometheus metrics on a registry of this app's own (so several apps in one process do not collide). */
const metrics: FastifyPluginAsync<MetricsOptions> = async (app, options) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  registry.registerMetric(engineBatchSeconds);
  if (options.db) registerBusinessMetrics(registry, options.db);
  countWebhookRequests(app, registry);
  app.decorate('metrics', registry);
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: one series per route whatever the ids in the path.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { schema: { response: { 200: { type: 'string' } } } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
};

export default fp(metrics, { name: 'metrics' });
