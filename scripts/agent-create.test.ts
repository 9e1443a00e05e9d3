import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { buildApp } from '../bot/build-app.js';
import { testConfig } from '../bot/testing/build-test-app.js';
import { createDatabase, type Db } from '../db/create-database.js';
import { agentSessions, agents } from '../db/schema.js';
import { createTestDatabase } from '../db/test-database.js';

const run = promisify(execFile);

function agentCreate(env: Record<string, string>, args: string[]) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return run(process.execPath, ['--import', 'tsx', 'scripts/agent-create.ts', ...args], {
    env: { ...inherited, LOG_LEVEL: 'silent', ...env },
  });
}

async function logsIn(db: Db, email: string, password: string): Promise<number> {
  const app = await buildApp({
    config: testConfig,
    db,
    temporal: Connection.lazy({ address: '127.0.0.1:1' }),
    logger: false,
  });
  try {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/agent/login',
      payload: { email, password },
    });
    return response.statusCode;
  } finally {
    await app.close();
  }
}

describe('npm run agent:create', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-create-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates a usable admin in the embedded database in DATA_DIR, printing no password', async () => {
    const password = 'first admin password';
    const { stdout } = await agentCreate({ DATA_DIR: dataDir }, [
      '--email',
      'Lindiwe@Example.test',
      '--password',
      password,
      '--role',
      'admin',
      '--name',
      'Lindiwe',
    ]);
    assert.match(stdout, /^created admin Lindiwe <lindiwe@example\.test>/);
    assert.doesNotMatch(stdout, new RegExp(password));
    const database = await createDatabase({ pgliteDir: join(dataDir, 'pglite') });
    try {
      const [row] = await database.db.select().from(agents).where(eq(agents.email, 'lindiwe@example.test'));
      assert.equal(row?.role, 'admin');
      assert.equal(await logsIn(database.db, 'lindiwe@example.test', password), 200);
    } finally {
      await database.close();
    }
  });

  it('on DATABASE_URL, resets an existing agent: new password and role, unlocked; the old password stops working', async (t) => {
    if (!process.env.TEST_DATABASE_URL) return t.skip('needs TEST_DATABASE_URL');
    const database = await createTestDatabase();
    try {
      const url = database.url as string;
      await agentCreate({ DATABASE_URL: url }, [
        '--email',
        'sipho@example.test',
        '--password',
        'old password 123',
        '--role',
        'agent',
      ]);
      const [sipho] = await database.db
        .update(agents)
        .set({ lockedUntil: new Date(Date.now() + 600_000) })
        .where(eq(agents.email, 'sipho@example.test'))
        .returning({ id: agents.id });
      await database.db.insert(agentSessions).values({
        id: 'old-session',
        agentId: sipho?.id,
        data: {},
        expiresAt: new Date(Date.now() + 600_000),
      });
      const { stdout } = await agentCreate({ DATABASE_URL: url }, [
        '--email',
        'sipho@example.test',
        '--password',
        'new password 456',
        '--role',
        'admin',
      ]);
      assert.match(stdout, /^updated .* admin sipho <sipho@example\.test>/);
      assert.equal(await logsIn(database.db, 'sipho@example.test', 'new password 456'), 200);
      assert.equal(await logsIn(database.db, 'sipho@example.test', 'old password 123'), 401);
      const sessions = await database.db
        .select()
        .from(agentSessions)
        .where(eq(agentSessions.id, 'old-session'));
      assert.equal(sessions.length, 0, 'a reset ends the sessions opened with the old password');
    } finally {
      await database.close();
    }
  });

  it('refuses to open the embedded database while another process has it open', async () => {
    const busyDir = mkdtempSync(join(tmpdir(), 'agent-create-busy-'));
    try {
      const database = await createDatabase({ pgliteDir: join(busyDir, 'pglite') });
      try {
        const refused = await agentCreate({ DATA_DIR: busyDir }, [
          '--email',
          'busy@example.test',
          '--password',
          'long enough password',
          '--role',
          'agent',
        ]).then(
          () => assert.fail('expected a non-zero exit'),
          (err: { code: number; stderr: string }) => err,
        );
        assert.equal(refused.code, 75);
        assert.match(refused.stderr, /is open \(is npm start running\?\)/);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(busyDir, { recursive: true, force: true });
    }
  });

  it('refuses a short password, naming the problem, and creates nothing', async () => {
    const refused = await agentCreate({ DATA_DIR: dataDir }, [
      '--email',
      'short@example.test',
      '--password',
      'short',
      '--role',
      'agent',
    ]).then(
      () => assert.fail('expected a non-zero exit'),
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(refused.code, 64);
    assert.match(refused.stderr, /password must be at least 12 characters/);
  });
});
