/**
 * `npm run restore -- FILE [--force]`: loads a backup written by `npm run backup` into DATABASE_URL (or,
 * unset, into DATA_DIR/pglite). It refuses a database that holds anything unless --force; with --force a
 * PostgreSQL database has the dump's objects replaced and a PGlite directory is moved aside first.
 * Run it with the service and workers stopped.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/load-config.js';
import { NotEmptyError, restoreDatabase } from './backup/restore-database.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { force: { type: 'boolean', default: false } },
});
const [file] = positionals;
if (!file || positionals.length > 1) {
  process.stderr.write('usage: npm run restore -- FILE [--force]\n');
  process.exit(64);
}
const config = loadConfigOrExit();
const target = config.databaseUrl
  ? { url: config.databaseUrl }
  : { pgliteDir: join(config.dataDir, 'pglite') };
try {
  const { movedAside } = await restoreDatabase(file, target, { force: values.force });
  if (movedAside) console.log(`the previous PGlite directory was moved to ${movedAside}`);
  console.log(`restored ${file}`);
} catch (err) {
  if (!(err instanceof NotEmptyError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
