/** The filing worker alone (production: one or more processes beside the service). */
import pino from 'pino';
import { loadConfigOrExit } from '../config/load-config.js';
import { createDatabase } from '../db/create-database.js';
import { startFilingWorker } from './start-filing-worker.js';

const config = loadConfigOrExit();
// PGlite is one process's database: a worker of its own needs the shared PostgreSQL and Temporal.
for (const [name, value] of [
  ['TEMPORAL_ADDRESS', config.temporal.address],
  ['DATABASE_URL', config.databaseUrl],
] as const) {
  if (!value) {
    process.stderr.write(
      `${name} must be set to run the worker alone (npm start runs everything together)\n`,
    );
    process.exit(78);
  }
}
const logger = pino({ level: config.logLevel });
const database = await createDatabase({ url: config.databaseUrl as string });
const worker = await startFilingWorker({
  temporalAddress: config.temporal.address as string,
  namespace: config.temporal.namespace,
  logger,
  config,
  db: database.db,
});
logger.info({ temporal: config.temporal.address }, 'filing worker polling');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    logger.info({ signal }, 'shutting down');
    await worker.stop();
    await database.close();
    process.exit(0);
  });
}
await worker.done;
