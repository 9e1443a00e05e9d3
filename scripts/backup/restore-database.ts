import { execFile } from 'node:child_process';
import { readdir, readFile, rename } from 'node:fs/promises';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';

const run = promisify(execFile);

export type RestoreTarget = { url: string } | { pgliteDir: string };

export class NotEmptyError extends Error {
  constructor(what: string) {
    super(`${what} is not empty: restore into an empty database, or pass --force to replace what is there`);
    this.name = 'NotEmptyError';
  }
}

/** Tables outside PostgreSQL's own schemas: a migrated database counts as not empty, rows or not. */
async function tablesIn(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int as count from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema')`;
    return row?.count ?? 0;
  } finally {
    await sql.end();
  }
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/**
 * Loads a backup written by `backUpDatabase` (a `.dump` into PostgreSQL, a `.pglite.tar.gz` into a PGlite
 * directory). It refuses a target that holds anything unless `force`: a restore over live data is a choice
 * someone makes on purpose. With `force`, PostgreSQL's objects named in the dump are dropped and recreated
 * (`pg_restore --clean`); a PGlite directory is moved aside to `<dir>.replaced-<time>` (PGlite loads a
 * tarball only into a fresh directory), so nothing is lost either way. Answers what it moved aside, if anything.
 */
export async function restoreDatabase(
  file: string,
  target: RestoreTarget,
  options: { force?: boolean; now?: Date } = {},
): Promise<{ movedAside?: string }> {
  if ('url' in target) {
    if (!options.force && (await tablesIn(target.url)) > 0) throw new NotEmptyError('the database');
    const clean = options.force ? ['--clean', '--if-exists'] : [];
    await run('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      ...clean,
      `--dbname=${target.url}`,
      file,
    ]);
    return {};
  }
  if (!file.endsWith('.tar.gz')) throw new Error(`${file} is not a PGlite backup (.pglite.tar.gz)`);
  let movedAside: string | undefined;
  if (!(await isEmptyDir(target.pgliteDir))) {
    if (!options.force) throw new NotEmptyError(target.pgliteDir);
    movedAside = `${target.pgliteDir}.replaced-${(options.now ?? new Date()).toISOString().replaceAll(':', '-')}`;
    await rename(target.pgliteDir, movedAside);
  }
  const pglite = await PGlite.create({
    dataDir: target.pgliteDir,
    loadDataDir: new Blob([await readFile(file)]),
  });
  await pglite.close();
  return { movedAside };
}
