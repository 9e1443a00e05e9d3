import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createDatabase, queryRows } from './create-database.js';
import { createTestDatabase } from './test-database.js';

describe('queries through drizzle on PostgreSQL', {
  skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL',
}, () => {
  it('are prepared once per connection, also inside transactions and savepoints', async () => {
    const fresh = await createTestDatabase();
    // One connection, so the statements it prepared are the ones pg_prepared_statements shows.
    const database = await createDatabase({ url: fresh.url as string, maxConnections: 1 });
    after(async () => {
      await database.close();
      await fresh.close();
    });
    for (const n of [1, 2]) {
      assert.deepEqual([...(await queryRows(database.db, sql`select ${n}::int as plain`))], [{ plain: n }]);
      await database.db.transaction(async (tx) => {
        await queryRows(tx, sql`select ${n}::int as in_transaction`);
        await tx.transaction((savepoint) => queryRows(savepoint, sql`select ${n}::int as in_savepoint`));
      });
    }
    const prepared = await queryRows<{ statement: string }>(
      database.db,
      sql`select statement from pg_prepared_statements`,
    );
    for (const column of ['plain', 'in_transaction', 'in_savepoint']) {
      const matching = prepared.filter((p) => p.statement === `select $1::int as ${column}`);
      assert.equal(matching.length, 1, `${column}: prepared once, then reused`);
    }
  });
});
