/**
 * `npm start`: the whole system in one process on embedded defaults — PGlite (unless DATABASE_URL),
 * a Temporal dev server (unless TEMPORAL_ADDRESS), the service, the filing worker and the sandboxes
 * standing in for every provider without credentials. Ctrl-C (or SIGTERM) stops it all.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { startBot } from '../bot/start-bot.js';
import { loadConfigOrExit, sandboxedProviders } from '../config/load-config.js';
import { loggerOptions } from '../config/logging/logger-options.js';
import { createDatabase } from '../db/create-database.js';
import { startFilingWorker } from '../filing-worker/start-filing-worker.js';
import { mountSandboxes } from './mount-sandboxes.js';
import { findTemporalCli, startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server.js';

const config = loadConfigOrExit();
const log = pino(loggerOptions(config)).child({ component: 'launcher' });

const dataDir = resolve(config.dataDir);
mkdirSync(dataDir, { recursive: true });
const stack: { name: string; stop: () => Promise<unknown> }[] = [];

let stopping: Promise<never> | undefined;
/** Stops every part started so far, last first, then exits; a second reason joins the first stop. */
function stopAll(reason: string, code: number): Promise<never> {
  stopping ??= (async () => {
    log.info({ reason }, 'stopping');
    for (const part of stack.reverse()) {
      try {
        await part.stop();
        log.info(`${part.name} stopped`);
      } catch (err) {
        log.error({ err }, `${part.name} did not stop cleanly`);
      }
    }
    process.exit(code);
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void stopAll(signal, 0));
}

try {
  const database = await createDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: join(dataDir, 'pglite') },
  );
  stack.push({ name: 'database', stop: () => database.close() });
  await database.migrate();

  let temporalAddress = config.temporal.address;
  let temporalServer: TemporalDevServer | undefined;
  if (!temporalAddress) {
    const cli = findTemporalCli();
    if (!cli) {
      throw new Error(
        'the temporal CLI was not found (TEMPORAL_CLI, .tools/venv/bin/temporal or the PATH): run npm run setup, or set TEMPORAL_ADDRESS',
      );
    }
    temporalServer = await startTemporalDevServer(cli, {
      dbFilename: join(dataDir, 'temporal.db'),
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
      startTimeoutMs: 30_000,
    });
    stack.push({ name: 'Temporal dev server', stop: () => (temporalServer as TemporalDevServer).stop() });
    temporalServer.process.once(
      'exit',
      (code) => void stopAll(`the Temporal dev server exited (code ${code})`, 1),
    );
    temporalAddress = temporalServer.address;
  }

  const bot = await startBot({ config, database, temporalAddress, extraRoutes: mountSandboxes(config) });
  stack.push({ name: 'service', stop: () => bot.stop() });
  const worker = await startFilingWorker({
    temporalAddress,
    namespace: config.temporal.namespace,
    logger: log,
    config: { ...config, dataDir },
    db: database.db,
  });
  stack.push({ name: 'filing worker', stop: () => worker.stop() });
  worker.done.catch((err) => {
    log.error({ err }, 'the filing worker stopped');
    void stopAll('filing worker failed', 1);
  });

  const sandboxed = sandboxedProviders(config);
  log.info(
    {
      service: config.publicBaseUrl,
      health: `${config.publicBaseUrl}/api/v1/health`,
      metrics: `${config.publicBaseUrl}/metrics`,
      agentConsole: `${config.publicBaseUrl}/agent (first admin: npm run agent:create -- --email E --password P --role admin)`,
      phoneSimulator: sandboxed.includes('aisensy') ? `${config.publicBaseUrl}/sandbox/phone` : undefined,
      temporal: temporalAddress,
      temporalUi: temporalServer?.uiUrl,
      database: config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${join(dataDir, 'pglite')}`,
      dataDir,
    },
    'CIPC Agent is running; Ctrl-C stops it',
  );
  if (sandboxed.length > 0) {
    log.warn({ providers: sandboxed }, 'no credentials for these providers: the sandbox stands in for them');
  }
} catch (err) {
  log.fatal({ err }, 'start-up failed');
  await stopAll('start-up failed', 1);
}
