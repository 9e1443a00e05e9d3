import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Config, loadConfigOrExit } from '../config/load-config.js';
import { createDatabase, type Database } from '../db/create-database.js';

export interface SplitProcessParts {
  config: Config;
  database: Database;
  temporalAddress: string;
}

export interface RunningPart {
  stop(): Promise<void>;
  /** Settles when the part stops by itself (a fatal error): the process then exits non-zero. */
  done?: Promise<void>;
}

/**
 * The shape `npm run start:bot` and `npm run start:worker` share: one part of the system in its own
 * process, on the shared PostgreSQL (DATABASE_URL) and Temporal (TEMPORAL_ADDRESS), so any number of
 * each can run at once. PGlite is one process's database and the embedded Temporal belongs to `npm start`,
 * so both variables are required (exit 78 naming the missing ones, as for any invalid configuration).
 * DATA_DIR is created when missing: the processes keep certificates, the audit trail and (outside
 * production) the generated encryption key there, so on one machine the two share it.
 */
export async function startSplitProcess(
  name: string,
  start: (parts: SplitProcessParts) => Promise<RunningPart>,
): Promise<void> {
  const loaded = loadConfigOrExit();
  const missing = Object.entries({
    TEMPORAL_ADDRESS: loaded.temporal.address,
    DATABASE_URL: loaded.databaseUrl,
  })
    .filter(([, value]) => !value)
    .map(([variable]) => variable);
  if (missing.length > 0) {
    process.stderr.write(
      `${missing.join(' and ')} must be set to run the ${name} alone (npm start runs everything together)\n`,
    );
    process.exit(78);
  }
  const config = { ...loaded, dataDir: resolve(loaded.dataDir) };
  mkdirSync(config.dataDir, { recursive: true });
  const database = await createDatabase({ url: config.databaseUrl as string });
  await database.migrate();
  const part = await start({ config, database, temporalAddress: config.temporal.address as string });

  let stopping: Promise<void> | undefined;
  const stop = (code: number) => {
    stopping ??= (async () => {
      await part.stop().catch((err) => process.stderr.write(`the ${name} did not stop cleanly: ${err}\n`));
      await database.close();
      process.exit(code);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(0));
  part.done?.catch((err) => {
    process.stderr.write(`the ${name} stopped: ${err instanceof Error ? err.stack : err}\n`);
    void stop(1);
  });
}
