/**
 * `npm run backup`: one timestamped, compressed backup of the database into BACKUP_DIR (pg_dump custom
 * format for DATABASE_URL; PGlite's own tarball of DATA_DIR/pglite otherwise, taken with `npm start`
 * stopped: PGlite is one process's database). Prints the file's path. Retention is the scheduler's job
 * (README, "Backups").
 */
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { loadConfigOrExit } from '../config/load-config.js';
import { backUpDatabase } from './backup/back-up-database.js';

const config = loadConfigOrExit();
if (config.databaseUrl) {
  console.log(await backUpDatabase({ url: config.databaseUrl }, config.backupDir));
} else {
  const pglite = await PGlite.create(join(config.dataDir, 'pglite'));
  try {
    console.log(await backUpDatabase({ pglite }, config.backupDir));
  } finally {
    await pglite.close();
  }
}
