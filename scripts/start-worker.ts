/**
 * `npm run start:worker`: the filing worker alone, beside any number of its replicas and services
 * (`npm run start:bot`). A provider without credentials is reached at the sandbox the service serves
 * at PUBLIC_BASE_URL (the config derives the same sandbox URLs and credentials in both processes).
 * Prometheus scrapes its metrics at WORKER_METRICS_PORT (each replica on a machine of its own, or a port each).
 */
import pino from 'pino';
import { loggerOptions } from '../config/logging/logger-options.js';
import { serveWorkerMetrics } from '../filing-worker/metrics/serve-worker-metrics.js';
import { startFilingWorker } from '../filing-worker/start-filing-worker.js';
import { startSplitProcess } from './start-split-process.js';

await startSplitProcess('filing worker', async ({ config, database, temporalAddress }) => {
  const logger = pino(loggerOptions(config));
  const worker = await startFilingWorker({
    temporalAddress,
    namespace: config.temporal.namespace,
    logger,
    config,
    db: database.db,
    workflowBundlePath: config.workflowBundlePath,
  });
  // Filings never wait on metrics: a taken port (several workers on one machine) is a warning, not a stop.
  const metrics = await serveWorkerMetrics(config.workerMetricsPort, config.host).catch((err: unknown) => {
    logger.warn(
      { err, port: config.workerMetricsPort },
      'worker metrics not served: set WORKER_METRICS_PORT',
    );
    return undefined;
  });
  logger.info(
    {
      temporal: temporalAddress,
      namespace: config.temporal.namespace,
      concurrency: config.filingConcurrency,
      metrics: metrics && `${metrics.url}/metrics`,
    },
    'filing worker polling',
  );
  return {
    done: worker.done,
    async stop() {
      await worker.stop();
      await metrics?.close();
    },
  };
});
