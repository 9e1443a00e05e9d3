import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { agentSessions, agents, auditLog } from '../../../db/schema.js';
import { hashPassword } from '../../agent/auth/hash-password.js';
import { cookieHeaderOf, logInAgent } from '../../agent/testing/log-in-agent.js';
import { buildApp } from '../../build-app.js';
import { buildTestApp, testConfig } from '../../testing/build-test-app.js';

describe('agent log-in, sessions, roles and CSRF', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    t = await buildTestApp({
      // Stand-ins for the console's routes: one per guard, one of each method kind.
      extraRoutes: async (app) => {
        app.get('/test/agent-only', { preHandler: app.requireAgent }, async (request) => ({
          agent: request.agent,
        }));
        app.post('/test/agent-only', { preHandler: app.requireAgent }, async () => ({ changed: true }));
        app.post('/test/admin-only', { preHandler: app.requireAdmin }, async () => ({ changed: true }));
      },
    });
  });
  after(() => t.close());

  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/agent/login', payload: { email, password } });

  it('logs in with the right password: the agent, a CSRF token and a strict, httpOnly session cookie', async () => {
    const password = 'correct horse battery staple';
    await t.database.db.insert(agents).values({
      email: 'naledi@example.test',
      name: 'Naledi',
      role: 'agent',
      passwordHash: await hashPassword(password),
    });
    const response = await login('  Naledi@Example.test ', password);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(
      { email: body.agent.email, name: body.agent.name, role: body.agent.role },
      { email: 'naledi@example.test', name: 'Naledi', role: 'agent' },
    );
    assert.ok(body.csrfToken);
    const setCookie = String(response.headers['set-cookie']);
    assert.match(setCookie, /^agent_session=/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\//);
    assert.doesNotMatch(setCookie, /Secure/, 'Secure only in production (tests speak plain HTTP)');

    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agent/me',
      headers: { cookie: cookieHeaderOf(response.headers['set-cookie']) },
    });
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json().agent.id, body.agent.id);
    assert.ok(me.json().csrfToken);
    const [audit] = await t.database.db.select().from(auditLog).where(eq(auditLog.actor, body.agent.id));
    assert.equal(audit?.action, 'agent.logged_in');
  });

  it('keeps the session in the database under a hash of its id, not the id itself', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    const rows = await t.database.db
      .select()
      .from(agentSessions)
      .where(eq(agentSessions.agentId, agent.agentId));
    assert.equal(rows.length, 1);
    const sessionId = decodeURIComponent(agent.cookie.replace(/^agent_session=/, '')).split('.')[0] as string;
    assert.notEqual(rows[0]?.id, sessionId);
    assert.match(rows[0]?.id ?? '', /^[0-9a-f]{64}$/);
  });

  it('serves a session on any replica: another app on the same database knows the cookie', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    const replica = await buildApp({
      config: testConfig,
      db: t.database.db,
      temporal: Connection.lazy({ address: '127.0.0.1:1' }),
      logger: false,
    });
    try {
      const me = await replica.inject({ method: 'GET', url: '/api/v1/agent/me', headers: agent.headers });
      assert.equal(me.statusCode, 200, me.body);
      assert.equal(me.json().agent.id, agent.agentId);
      const change = await replica.inject({
        method: 'POST',
        url: '/api/v1/agent/logout',
        headers: agent.headers,
      });
      assert.equal(change.statusCode, 200, 'the CSRF token from one replica is good on another');
    } finally {
      await replica.close();
    }
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/agent/me', headers: agent.headers });
    assert.equal(after.statusCode, 401, 'a logout on one replica ends the session on all');
  });

  it('in production, sets a Secure cookie over HTTPS (a trusted proxy says so) and refuses plain HTTP', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    const production = await buildApp({
      config: { ...testConfig, env: 'production', trustProxy: ['127.0.0.1'] },
      db: t.database.db,
      temporal: Connection.lazy({ address: '127.0.0.1:1' }),
      logger: false,
    });
    try {
      const payload = { email: agent.email, password: agent.password };
      const plain = await production.inject({ method: 'POST', url: '/api/v1/agent/login', payload });
      assert.equal(plain.statusCode, 403);
      assert.equal(plain.json().error, 'https_required');
      assert.equal(plain.headers['set-cookie'], undefined);
      const secure = await production.inject({
        method: 'POST',
        url: '/api/v1/agent/login',
        payload,
        headers: { 'x-forwarded-proto': 'https' },
      });
      assert.equal(secure.statusCode, 200, secure.body);
      assert.match(String(secure.headers['set-cookie']), /; Secure/);
    } finally {
      await production.close();
    }
  });

  it('answers a wrong password and an unknown email alike: 401, without saying which was wrong', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    const wrongPassword = await login(agent.email, 'not-the-password');
    const unknownEmail = await login('nobody@example.test', agent.password);
    assert.equal(wrongPassword.statusCode, 401);
    assert.equal(unknownEmail.statusCode, 401);
    assert.deepEqual(wrongPassword.json(), unknownEmail.json());
    assert.equal(wrongPassword.json().error, 'invalid_credentials');
    assert.equal(wrongPassword.headers['set-cookie'], undefined);
  });

  it('refuses a malformed login body naming the problem', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/login',
      payload: { email: 'a@b.test' },
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error, 'invalid_request');
    assert.match(response.json().message, /password/);
  });

  it('locks the account after five wrong passwords, even against the right one, and says when to retry', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    for (let i = 1; i <= 4; i++) assert.equal((await login(agent.email, `wrong-${i}`)).statusCode, 401);
    const fifth = await login(agent.email, 'wrong-5');
    assert.equal(fifth.statusCode, 423, fifth.body);
    assert.equal(fifth.json().error, 'account_locked');
    assert.match(fifth.json().message, /try again in 15 minutes/);
    assert.ok(Number(fifth.headers['retry-after']) > 800);
    const rightPassword = await login(agent.email, agent.password);
    assert.equal(rightPassword.statusCode, 423);
    const locks = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, `agent:${agent.agentId}`));
    assert.deepEqual(
      locks.filter((row) => row.action === 'agent.locked_out').map((row) => row.actor),
      ['system'],
      'one audit row for the lock, none for the tries while locked',
    );

    // Once the lock has passed, the right password works and the count starts again.
    await t.database.db
      .update(agents)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(agents.id, agent.agentId));
    assert.equal((await login(agent.email, agent.password)).statusCode, 200);
    const [row] = await t.database.db.select().from(agents).where(eq(agents.id, agent.agentId));
    assert.equal(row?.failedLogins, 0);
  });

  it('answers 401 without a session, and with a session that is not one', async () => {
    for (const cookie of [undefined, 'agent_session=forged.signature']) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/test/agent-only',
        headers: cookie ? { cookie } : {},
      });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error, 'unauthenticated');
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/agent/me' })).statusCode, 401);
  });

  it('answers 403 forbidden to an agent on an admin route, and lets an admin through', async () => {
    const agent = await logInAgent(t.app, t.database.db, { role: 'agent' });
    const admin = await logInAgent(t.app, t.database.db, { role: 'admin' });
    const asAgent = await t.app.inject({ method: 'POST', url: '/test/admin-only', headers: agent.headers });
    assert.equal(asAgent.statusCode, 403);
    assert.equal(asAgent.json().error, 'forbidden');
    const asAdmin = await t.app.inject({ method: 'POST', url: '/test/admin-only', headers: admin.headers });
    assert.equal(asAdmin.statusCode, 200, asAdmin.body);
  });

  it('refuses a state change with a missing or wrong CSRF token (403), and takes it with the right one', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    const other = await logInAgent(t.app, t.database.db);
    const post = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/test/agent-only', headers });
    const attempts: Record<string, string>[] = [
      { cookie: agent.cookie },
      { cookie: agent.cookie, 'x-csrf-token': 'forged' },
      // Another session's token is no good either: the token is bound to its session.
      { cookie: agent.cookie, 'x-csrf-token': other.csrfToken },
    ];
    for (const headers of attempts) {
      const response = await post(headers);
      assert.equal(response.statusCode, 403, response.body);
      assert.equal(response.json().error, 'invalid_csrf_token');
    }
    assert.equal((await post(agent.headers)).statusCode, 200);
    const read = await t.app.inject({
      method: 'GET',
      url: '/test/agent-only',
      headers: { cookie: agent.cookie },
    });
    assert.equal(read.statusCode, 200, 'a read needs no token');
  });

  it('ends the session at logout: the old cookie is refused afterwards', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/logout',
      headers: { cookie: agent.cookie },
    });
    assert.equal(noToken.statusCode, 403, 'logout is a state change: CSRF applies');
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/logout',
      headers: agent.headers,
    });
    assert.equal(logout.statusCode, 200, logout.body);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/agent/me', headers: agent.headers });
    assert.equal(after.statusCode, 401);
  });

  it('shuts out a disabled agent at their next request', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    await t.database.db.update(agents).set({ disabledAt: new Date() }).where(eq(agents.id, agent.agentId));
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/agent/me', headers: agent.headers });
    assert.equal(response.statusCode, 401);
    assert.equal((await login(agent.email, agent.password)).statusCode, 401);
  });

  // Last: it spends this address's login allowance.
  it('limits log-in attempts per client address: 429 with Retry-After', async () => {
    let limited: Awaited<ReturnType<typeof login>> | undefined;
    for (let attempt = 0; attempt < 40 && !limited; attempt++) {
      const response = await login('sprayed@example.test', `guess-${attempt}`);
      if (response.statusCode === 429) limited = response;
      else assert.equal(response.statusCode, 401);
    }
    assert.ok(limited, 'no 429 within 40 attempts');
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });
});
