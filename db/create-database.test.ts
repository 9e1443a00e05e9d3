import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createDatabase, queryRows } from './create-database.js';
import { events } from './schema.js';
import { createTestDatabase } from './test-database.js';

async function tableNames(database: Awaited<ReturnType<typeof createTestDatabase>>): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    database.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((row) => row.table_name);
}

const expectedTables = [
  'agent_sessions',
  'agents',
  'audit_log',
  'companies',
  'contacts',
  'conversation_notes',
  'conversations',
  'events',
  'filing_actions',
  'filings',
  'messages',
  'orders',
  'outbox',
  'payment_notifications',
  'payment_requests',
  'payments',
  'reminders',
  'unhandled_aisensy_deliveries',
];

describe(`migrations on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('apply from empty, and again as a no-op', async () => {
    const database = await createTestDatabase();
    after(() => database.close());
    assert.deepEqual(await tableNames(database), expectedTables);
    await database.db.insert(events).values({ dedupeKey: 'k1', type: 't', payload: {} });
    await database.migrate();
    assert.deepEqual(await tableNames(database), expectedTables);
    const rows = await database.db.select().from(events);
    assert.equal(rows.length, 1, 'data survives a second migrate');
  });

  it('refuses a second event with the same dedupe key', async () => {
    const database = await createTestDatabase();
    after(() => database.close());
    await database.db.insert(events).values({ dedupeKey: 'same', type: 't', payload: {} });
    await assert.rejects(database.db.insert(events).values({ dedupeKey: 'same', type: 't', payload: {} }));
  });
});

describe('migrations on PGlite in a data folder', () => {
  it('keeps data across a reopen', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/pglite-`);
    after(() => rm(dir, { recursive: true, force: true }));
    const first = await createDatabase({ pgliteDir: dir });
    await first.migrate();
    await first.db.insert(events).values({ dedupeKey: 'kept', type: 't', payload: {} });
    await first.close();
    const second = await createDatabase({ pgliteDir: dir });
    await second.migrate();
    const rows = await second.db.select().from(events);
    await second.close();
    assert.deepEqual(
      rows.map((r) => r.dedupeKey),
      ['kept'],
    );
  });
});
