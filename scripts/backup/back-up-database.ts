import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';

const run = promisify(execFile);

/** A PostgreSQL server by URL, or an open PGlite (embedded: its own data-directory dump). */
export type BackupSource = { url: string } | { pglite: PGlite };

/** `cipc-2026-12-02T06-44-28-123Z`: sorts by time and is a valid file name everywhere. */
function stamp(now: Date): string {
  return `cipc-${now.toISOString().replaceAll(':', '-').replace('.', '-')}`;
}

/**
 * Writes one timestamped, compressed backup into `backupDir` and answers its path. PostgreSQL: `pg_dump`
 * in custom format (compressed, restorable table by table with `pg_restore`), without owners or grants so
 * it restores under whatever role the target gives. PGlite: its own gzipped tarball of the data directory
 * (`dumpDataDir`), the one format PGlite can load back.
 */
export async function backUpDatabase(
  source: BackupSource,
  backupDir: string,
  now = new Date(),
): Promise<string> {
  await mkdir(backupDir, { recursive: true, mode: 0o700 });
  if ('url' in source) {
    const file = resolve(join(backupDir, `${stamp(now)}.dump`));
    await run('pg_dump', [
      '--format=custom',
      '--compress=6',
      '--no-owner',
      '--no-privileges',
      `--file=${file}`,
      source.url,
    ]);
    // Owner-only, as the PGlite tarball below: a backup holds every conversation.
    await chmod(file, 0o600);
    return file;
  }
  const file = resolve(join(backupDir, `${stamp(now)}.pglite.tar.gz`));
  const tarball = await source.pglite.dumpDataDir('gzip');
  await writeFile(file, Buffer.from(await tarball.arrayBuffer()), { mode: 0o600 });
  return file;
}
