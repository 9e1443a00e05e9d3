import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { parse } from 'node-html-parser';
import { contacts, conversations } from '../../../db/schema.js';
import { logInAgent } from '../../agent/testing/log-in-agent.js';
import { assetUrl } from '../../console/console-assets.js';
import { buildTestApp, postAisensy, userTextEnvelope } from '../../testing/build-test-app.js';
import { insertConversation } from '../../testing/insert-conversation.js';

describe('the agent console pages', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('answers the log-in form without a session, with the labels outside tests drive it by', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/agent' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['cache-control'], 'no-store');
    const page = parse(response.body);
    assert.equal(page.querySelector('label[for=email]')?.text, 'Email');
    assert.equal(page.querySelector('label[for=password]')?.text, 'Password');
    assert.equal(page.querySelector('#password')?.getAttribute('type'), 'password');
    assert.equal(page.querySelector('form button[type=submit]')?.text, 'Log in');
    assert.equal(page.querySelector('form')?.getAttribute('hx-post'), '/api/v1/agent/login');
  });

  it('has no inline script or style, so the strict Content-Security-Policy holds', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/agent' });
    const page = parse(response.body);
    for (const script of page.querySelectorAll('script')) {
      assert.ok(script.getAttribute('src'), 'every script is a file');
      assert.equal(script.text.trim(), '');
    }
    assert.equal(page.querySelectorAll('style').length, 0);
    assert.equal(page.querySelectorAll('[style]').length, 0);
    assert.equal(page.querySelectorAll('[hx-on]').length, 0);
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it('serves htmx, its SSE extension and the console’s own files under versioned, long-cached URLs', async () => {
    for (const name of ['htmx.min.js', 'sse.js', 'console.js', 'console.css']) {
      const response = await t.app.inject({ method: 'GET', url: assetUrl(name) });
      assert.equal(response.statusCode, 200, name);
      assert.match(String(response.headers['cache-control']), /max-age=31536000/);
      assert.ok(response.body.length > 100, name);
    }
    const htmx = await t.app.inject({ method: 'GET', url: assetUrl('htmx.min.js') });
    assert.match(String(htmx.headers['content-type']), /^text\/javascript/);
    const unknown = await t.app.inject({ method: 'GET', url: '/agent/assets/..%2F..%2Fpackage.json' });
    assert.equal(unknown.statusCode, 404);
  });

  it('answers 401 for a fragment without a session, and 400 for a malformed conversation id', async () => {
    const queue = await t.app.inject({ method: 'GET', url: '/agent/fragments/queue?state=waiting' });
    assert.equal(queue.statusCode, 401);
    const agent = await logInAgent(t.app, t.database.db);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/agent/fragments/conversations/not-a-uuid',
      headers: { cookie: agent.cookie },
    });
    assert.equal(bad.statusCode, 400);
    const state = await t.app.inject({
      method: 'GET',
      url: '/agent/fragments/queue?state=everything',
      headers: { cookie: agent.cookie },
    });
    assert.equal(state.statusCode, 400);
  });

  it('shows a signed-in agent the queue with the phone as agents read it, and the CSRF token for the page', async () => {
    const agent = await logInAgent(t.app, t.database.db, { name: 'Naledi Dlamini' });
    await insertConversation(t.database.db, '+27821234567', { needsAgent: 'the owner asked for a person' });
    const response = await t.app.inject({ method: 'GET', url: '/agent', headers: { cookie: agent.cookie } });
    assert.equal(response.statusCode, 200, response.body);
    const page = parse(response.body);
    assert.ok(page.querySelector('meta[name=csrf-token]')?.getAttribute('content'));
    assert.equal(page.querySelector('main')?.getAttribute('sse-connect'), '/api/v1/agent/events');
    const views = page.querySelectorAll('.views button').map((b) => b.childNodes[0]?.text);
    assert.deepEqual(views, ['Waiting', 'Mine', 'Bot', 'All']);
    assert.match(page.querySelector('.queue-list')?.text ?? '', /\+27 82 123 4567/);
    assert.match(response.body, /Naledi Dlamini/);
  });

  it('shows a conversation with Take over, and after taking it over the Reply box and Hand back', async () => {
    const agent = await logInAgent(t.app, t.database.db, { name: 'Naledi Dlamini' });
    const phone = '+27825550177';
    assert.equal((await postAisensy(t.app, userTextEnvelope(phone, 'hello there'))).statusCode, 200);
    const [row] = await t.database.db
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(contacts.phone, phone));
    const url = `/agent/fragments/conversations/${row?.id}`;
    const fragment = async () => {
      const response = await t.app.inject({ method: 'GET', url, headers: { cookie: agent.cookie } });
      assert.equal(response.statusCode, 200, response.body);
      return parse(response.body);
    };
    const before = await fragment();
    assert.match(before.querySelector('h2')?.text ?? '', /\+27 82 555 0177/);
    assert.ok(before.querySelectorAll('.transcript .msg.user').some((m) => m.text.includes('hello there')));
    const buttons = () => before.querySelectorAll('button').map((b) => b.text.trim());
    assert.ok(buttons().includes('Take over'));
    assert.equal(before.querySelector('#reply'), null, 'no reply box while the bot has it');

    const takeover = await t.app.inject({
      method: 'POST',
      url: `/api/v1/agent/conversations/${row?.id}/takeover`,
      headers: agent.headers,
    });
    assert.equal(takeover.statusCode, 200, takeover.body);
    const after = await fragment();
    assert.equal(after.querySelector('label[for=reply]')?.text, 'Reply');
    assert.equal(after.querySelector('#reply')?.tagName, 'TEXTAREA');
    const afterButtons = after.querySelectorAll('button').map((b) => b.text.trim());
    assert.ok(afterButtons.includes('Send'));
    assert.ok(afterButtons.includes('Hand back'));
    assert.ok(!afterButtons.includes('Take over'));
  });

  it('answers an agent who is not an admin, or a conversation that does not exist, with a page that says so', async () => {
    const agent = await logInAgent(t.app, t.database.db);
    const audit = await t.app.inject({
      method: 'GET',
      url: '/agent/audit',
      headers: { cookie: agent.cookie },
    });
    assert.equal(audit.statusCode, 403);
    assert.match(String(audit.headers['content-type']), /^text\/html/);
    assert.match(parse(audit.body).querySelector('.notice')?.text ?? '', /only an admin/);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/agent/conversations/00000000-0000-4000-8000-000000000000',
      headers: { cookie: agent.cookie },
    });
    assert.equal(missing.statusCode, 404);
    assert.match(parse(missing.body).querySelector('.notice')?.text ?? '', /no conversation/);
  });
});
