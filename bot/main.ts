/** The service alone (production: the worker runs as its own process, Temporal is a cluster). */
import { join } from 'node:path';
import { loadConfigOrExit } from '../config/load-config.js';
import { createDatabase } from '../db/create-database.js';
import { startBot } from './start-bot.js';

const config = loadConfigOrExit();
if (!config.temporal.address) {
  process.stderr.write(
    'TEMPORAL_ADDRESS must be set to run the service alone (npm start runs everything together)\n',
  );
  process.exit(78);
}
const database = await createDatabase(
  config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: join(config.dataDir, 'pglite') },
);
await database.migrate();
const bot = await startBot({ config, database, temporalAddress: config.temporal.address });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    bot.app.log.info({ signal }, 'shutting down');
    await bot.stop();
    await database.close();
    process.exit(0);
  });
}
