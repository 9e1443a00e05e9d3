import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import postgres from 'postgres';
import { isConnectionError } from './is-connection-error.js';

const serverUrl = process.env.TEST_DATABASE_URL;

describe('isConnectionError', () => {
  it('knows a refused connection, from the real client', async () => {
    const sql = postgres('postgres://postgres@127.0.0.1:1/postgres', { max: 1, connect_timeout: 2 });
    const err = await sql`select 1`.catch((e: unknown) => e);
    await sql.end({ timeout: 1 });
    assert.ok(isConnectionError(err), String(err));
  });

  it('knows a connection the server terminated (a restart), and follows a wrapping cause', {
    skip: !serverUrl && 'needs TEST_DATABASE_URL',
  }, async () => {
    const victim = postgres(serverUrl as string, { max: 1, onnotice: () => {} });
    const admin = postgres(serverUrl as string, { max: 1, onnotice: () => {} });
    try {
      const [row] = await victim<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const pid = row?.pid as number;
      const killed = victim`select pg_sleep(5)`.catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await admin`select pg_terminate_backend(${pid})`;
      const err = await killed;
      assert.ok(isConnectionError(err), String(err));
      assert.ok(isConnectionError(new Error('Failed query', { cause: err })));
    } finally {
      await victim.end({ timeout: 1 });
      await admin.end({ timeout: 1 });
    }
  });

  it('does not take an error about the work for one', async () => {
    assert.equal(isConnectionError(new Error('snapshot of version 3')), false);
    assert.equal(isConnectionError(Object.assign(new Error('unique violation'), { code: '23505' })), false);
    assert.equal(isConnectionError(undefined), false);
    if (!serverUrl) return;
    const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
    const err = await sql`select * from no_such_table`.catch((e: unknown) => e);
    await sql.end({ timeout: 1 });
    assert.equal(isConnectionError(err), false);
  });
});
