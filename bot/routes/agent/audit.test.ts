import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordAudit } from '../../agent/audit/record-audit.js';
import { logInAgent } from '../../agent/testing/log-in-agent.js';
import { buildTestApp } from '../../testing/build-test-app.js';

describe('GET /api/v1/agent/audit', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('is for admins only: 401 without a session, 403 for an agent', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/agent/audit' })).statusCode, 401);
    const agent = await logInAgent(t.app, t.database.db);
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agent/audit',
      headers: agent.headers,
    });
    assert.equal(response.statusCode, 403);
  });

  it('pages newest first, names the actor, and narrows by subject', async () => {
    const admin = await logInAgent(t.app, t.database.db, { role: 'admin', name: 'Lindiwe' });
    for (let i = 0; i < 5; i++) {
      await recordAudit(t.database.db, {
        actor: admin.agentId,
        action: 'conversation.viewed',
        subject: 'conversation:paged',
        details: { i },
      });
    }
    await recordAudit(t.database.db, { actor: 'system', action: 'x.done', subject: 'conversation:other' });
    const get = async (query: string) => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/v1/agent/audit?${query}`,
        headers: admin.headers,
      });
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };
    const first = await get('subject=conversation:paged&limit=3');
    assert.deepEqual(
      first.entries.map((e: { details: { i: number } }) => e.details.i),
      [4, 3, 2],
    );
    assert.equal(first.entries[0].actorName, 'Lindiwe');
    const second = await get(`subject=conversation:paged&limit=3&before=${first.next}`);
    assert.deepEqual(
      second.entries.map((e: { details: { i: number } }) => e.details.i),
      [1, 0],
    );
    assert.equal(second.next, null);
    const system = await get('actor=system');
    assert.ok(system.entries.some((e: { action: string }) => e.action === 'x.done'));
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/agent/audit?limit=0', headers: admin.headers }))
        .statusCode,
      400,
    );
  });

  it('refuses to write personal data into the log', async () => {
    await assert.rejects(
      recordAudit(t.database.db, {
        actor: 'system',
        action: 'x',
        subject: 'contact:1',
        details: { to: 'thandi@example.co.za' },
      }),
      /details\.to holds an email address/,
    );
    await assert.rejects(
      recordAudit(t.database.db, {
        actor: 'system',
        action: 'x',
        subject: 'contact:1',
        details: { phones: ['+27821234567'] },
      }),
      /phone or ID number/,
    );
    // A uuid's twelve-digit tail is not a phone number.
    await recordAudit(t.database.db, {
      actor: 'system',
      action: 'x',
      subject: 'order:4f0c3c1e-1b7a-4d5e-9a0b-123456789012',
    });
  });
});

describe('agent accounts (/api/v1/agent/agents)', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('lets an admin add an agent who can then log in, and disable them, which ends their session', async () => {
    const admin = await logInAgent(t.app, t.database.db, { role: 'admin' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/agents',
      headers: admin.headers,
      payload: {
        email: 'Bongani@example.test',
        password: 'a good long password',
        name: 'Bongani',
        role: 'agent',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { agent } = created.json();
    assert.equal(agent.email, 'bongani@example.test');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/agents',
      headers: admin.headers,
      payload: { email: 'bongani@example.test', password: 'another long password', name: 'B', role: 'admin' },
    });
    assert.equal(again.statusCode, 409);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/login',
      payload: { email: 'bongani@example.test', password: 'a good long password' },
    });
    assert.equal(login.statusCode, 200, login.body);
    const bongani = { cookie: String(login.headers['set-cookie']).split(';')[0] as string };

    const listAsAgent = await t.app.inject({ method: 'GET', url: '/api/v1/agent/agents', headers: bongani });
    assert.equal(listAsAgent.statusCode, 200);
    const listed = listAsAgent.json().agents.find((a: { id: string }) => a.id === agent.id);
    assert.equal(listed.name, 'Bongani');
    assert.equal(listed.email, undefined, 'agents see names, not account details');

    const disabled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/agent/agents/${agent.id}/disable`,
      headers: admin.headers,
    });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal(disabled.json().agent.active, false);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/agent/me', headers: bongani })).statusCode,
      401,
    );

    const audit = await t.app.inject({
      method: 'GET',
      url: `/api/v1/agent/audit?subject=agent:${agent.id}`,
      headers: admin.headers,
    });
    assert.deepEqual(
      audit.json().entries.map((e: { action: string }) => e.action),
      ['agent.disabled', 'agent.logged_in', 'agent.created'],
    );
  });

  it('keeps agents from managing accounts, and an admin from disabling themself', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    const admin = await logInAgent(t.app, t.database.db, { role: 'admin' });
    const byAgent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/agents',
      headers: agent.headers,
      payload: { email: 'x@example.test', password: 'a good long password', name: 'X', role: 'admin' },
    });
    assert.equal(byAgent.statusCode, 403);
    const self = await t.app.inject({
      method: 'POST',
      url: `/api/v1/agent/agents/${admin.agentId}/disable`,
      headers: admin.headers,
    });
    assert.equal(self.statusCode, 409);
    const notAnId = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/agents/not-a-uuid/disable',
      headers: admin.headers,
    });
    assert.equal(notAnId.statusCode, 400);
    const nobody = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/agents/4f0c3c1e-1b7a-4d5e-9a0b-0123456789ab/disable',
      headers: admin.headers,
    });
    assert.equal(nobody.statusCode, 404);
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agent/agents',
      headers: admin.headers,
      payload: { email: 'y@example.test', password: 'short', name: 'Y', role: 'agent' },
    });
    assert.equal(short.statusCode, 400);
    assert.match(short.json().message, /password/);
  });
});
