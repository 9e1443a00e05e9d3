/** The filing worker alone (production: one or more processes beside the service). */
import pino from 'pino';
import { loadConfigOrExit } from '../config/load-config.js';
import { startFilingWorker } from './start-filing-worker.js';

const config = loadConfigOrExit();
if (!config.temporal.address) {
  process.stderr.write(
    'TEMPORAL_ADDRESS must be set to run the worker alone (npm start runs everything together)\n',
  );
  process.exit(78);
}
const logger = pino({ level: config.logLevel });
const worker = await startFilingWorker({
  temporalAddress: config.temporal.address,
  namespace: config.temporal.namespace,
  logger,
});
logger.info({ temporal: config.temporal.address }, 'filing worker polling');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    logger.info({ signal }, 'shutting down');
    await worker.stop();
    process.exit(0);
  });
}
await worker.done;
