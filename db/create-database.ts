import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { prepareEveryQuery } from './prepare-every-query.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Applies the drizzle-kit migrations; a no-op when they are applied already. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget = { url: string; maxConnections?: number } | { pgliteDir?: string };

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
// Any constant works: it only has to be the same for every process that migrates this database.
const MIGRATION_LOCK = 727_001;

/** postgres.js for a URL; PGlite otherwise (on disk in `pgliteDir`, or in memory). */
export async function createDatabase(target: DatabaseTarget): Promise<Database> {
  if ('url' in target) {
    const client = postgres(target.url, { max: target.maxConnections ?? 20, onnotice: () => {} });
    const db = drizzlePostgres(prepareEveryQuery(client), { schema });
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      async migrate() {
        // Several processes may start at once: one migrates, the others wait and find nothing to do.
        const lockHolder = await client.reserve();
        try {
          await lockHolder`select pg_advisory_lock(${MIGRATION_LOCK})`;
          await migratePostgres(db, { migrationsFolder });
        } finally {
          await lockHolder`select pg_advisory_unlock(${MIGRATION_LOCK})`;
          lockHolder.release();
        }
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const client = await PGlite.create(target.pgliteDir);
  const db = drizzlePglite(client, { schema });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  };
}

export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

/** Rows of a raw SQL query, whichever driver runs it (postgres.js answers an array, PGlite `{rows}`). */
export async function queryRows<Row>(db: Db | Tx, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}
