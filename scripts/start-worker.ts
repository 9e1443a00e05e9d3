/**
 * `npm run start:worker`: the filing worker alone, beside any number of its replicas and services
 * (`npm run start:bot`). A provider without credentials is reached at the sandbox the service serves
 * at PUBLIC_BASE_URL (the config derives the same sandbox URLs and credentials in both processes).
 */
import pino from 'pino';
import { loggerOptions } from '../config/logging/logger-options.js';
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
  });
  logger.info(
    {
      temporal: temporalAddress,
      namespace: config.temporal.namespace,
      concurrency: config.filingConcurrency,
    },
    'filing worker polling',
  );
  return worker;
});
