import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { queryRows } from '../../../db/create-database.js';
import { auditLog, contacts, conversations, events, outbox } from '../../../db/schema.js';
import type { ChatMessage } from '../../../sandbox/aisensy/chat-message.js';
import { releaseIdleConversations } from '../../agent/conversations/release-idle-conversations.js';
import { type LoggedInAgent, logInAgent } from '../../agent/testing/log-in-agent.js';
import { createEngine } from '../../engine/create-engine.js';
import { createOutboxDispatcher } from '../../outbox/create-outbox-dispatcher.js';
import { testConfig } from '../../testing/build-test-app.js';
import { startWhatsappWorld } from '../../testing/start-whatsapp-world.js';

const silent = pino({ level: 'silent' });
const IDLE_MS = 30 * 60_000;

/**
 * The conversations API against the real thing: the AiSensy sandbox posting signed webhooks, the engine
 * applying events (the machine deciding what the owner hears), the dispatcher sending through the outbox.
 */
describe('agent conversations API', () => {
  let world: Awaited<ReturnType<typeof startWhatsappWorld>>;
  let engine: ReturnType<typeof createEngine>;
  let dispatcher: ReturnType<typeof createOutboxDispatcher>;
  let thandi: LoggedInAgent;
  let sipho: LoggedInAgent;
  before(async () => {
    let kick: (id: string) => Promise<void> = async () => {};
    world = await startWhatsappWorld({ app: { engine: { kick: (id) => kick(id) } } });
    const keys = world.app.encryptionKeys;
    dispatcher = createOutboxDispatcher({
      db: world.database.db,
      aisensy: world.client,
      temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
      logger: silent,
      encryptionKeys: keys,
      pollIntervalMs: 50,
    });
    engine = createEngine({
      db: world.database.db,
      logger: silent,
      serviceFeeCents: testConfig.serviceFeeCents,
      publicBaseUrl: testConfig.publicBaseUrl,
      encryptionKeys: keys,
      payTokenTtlMs: 3_600_000,
      pollIntervalMs: 100,
      onApplied: () => dispatcher.kick(),
    });
    kick = engine.kick;
    engine.start();
    dispatcher.start();
    thandi = await logInAgent(world.app, world.database.db, { name: 'Thandi Mokoena' });
    sipho = await logInAgent(world.app, world.database.db, { name: 'Sipho Dlamini' });
  });
  after(async () => {
    await engine.stop();
    await dispatcher.stop();
    await world.close();
  });

  const db = () => world.database.db;
  let phones = 0;
  const newPhone = () =>
    `2782${String(Date.now() % 1e5).padStart(5, '0')}${String(++phones).padStart(2, '0')}`;
  const contentOf = (message: ChatMessage | undefined) => JSON.stringify(message?.content ?? null);

  async function conversationOf(phone: string): Promise<string> {
    const [row] = await db()
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(contacts.phone, `+${phone}`));
    assert.ok(row, `a conversation for ${phone}`);
    return row.id;
  }

  /** Every event applied and every message sent (what the bot was going to say, it has said). */
  async function settled(conversationId: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const [pending] = await queryRows<{ n: number | string }>(
        db(),
        sql`select (select count(*) from events where conversation_id = ${conversationId} and status = 'pending')
                 + (select count(*) from outbox where conversation_id = ${conversationId} and status = 'pending') as n`,
      );
      if (Number(pending?.n) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail('the conversation did not settle');
  }

  /** The owner writes; resolves once the bot has answered everything (or stayed silent). */
  async function ownerSays(phone: string, text: string): Promise<void> {
    await world.aisensy.sendFromUser({ phone, text });
    await settled(await conversationOf(phone));
  }

  /** An owner who said hi and agreed: the bot asks for the registration number. */
  async function ownerAtRegistration(): Promise<{ phone: string; id: string }> {
    const phone = newPhone();
    await ownerSays(phone, 'hi');
    await ownerSays(phone, 'I agree');
    assert.match(contentOf(world.aisensy.outbound(phone).at(-1)), /registration number/i);
    return { phone, id: await conversationOf(phone) };
  }

  const api = (agent: LoggedInAgent | undefined, method: 'GET' | 'POST', url: string, payload?: object) =>
    world.app.inject({
      method,
      url: `/api/v1/agent/conversations${url}`,
      headers: agent?.headers ?? {},
      ...(payload && { payload }),
    });

  it('answers 401 to every conversations route without a session, and changes nothing', async () => {
    const { id } = await ownerAtRegistration();
    const calls: [method: 'GET' | 'POST', url: string, payload?: object][] = [
      ['GET', '?state=waiting'],
      ['GET', `/${id}`],
      ['POST', `/${id}/takeover`],
      ['POST', `/${id}/messages`, { text: 'hi' }],
      ['POST', `/${id}/notes`, { text: 'a note' }],
      ['POST', `/${id}/assign`, { agentId: thandi.agentId, reason: 'why' }],
      ['POST', `/${id}/release`, { mode: 'resume' }],
    ];
    for (const [method, url, payload] of calls) {
      const response = await api(undefined, method, url, payload);
      assert.equal(response.statusCode, 401, `${method} ${url}`);
    }
    const [conversation] = await db().select().from(conversations).where(eq(conversations.id, id));
    assert.equal(conversation?.owner, 'bot');
  });

  it('takeover mutes the bot, the agent replies through the outbox, and hand-back resumes the question', async () => {
    const { phone, id } = await ownerAtRegistration();
    const taken = await api(thandi, 'POST', `/${id}/takeover`);
    assert.equal(taken.statusCode, 200, taken.body);
    await settled(id);
    const joined = world.aisensy.outbound(phone).at(-1);
    assert.match(contentOf(joined), /Thandi joined/);
    assert.doesNotMatch(contentOf(joined), /Mokoena/);

    // The owner writes while Thandi holds the chat: no bot reply, but it reaches the console.
    const before = world.aisensy.outbound(phone).length;
    await ownerSays(phone, 'Is this a real person? 2019/123456/07');
    assert.equal(world.aisensy.outbound(phone).length, before, 'the bot stayed silent');
    const detail = (await api(thandi, 'GET', `/${id}`)).json();
    const said = detail.transcript.find(
      (entry: { type: string; author?: string; text: string }) =>
        entry.type === 'message' && entry.author === 'user' && entry.text.includes('real person'),
    );
    assert.ok(said, 'the owner’s message is on the transcript');
    assert.ok(
      detail.transcript.some(
        (entry: { type: string; text: string }) =>
          entry.type === 'marker' && /Thandi Mokoena joined/.test(entry.text),
      ),
    );
    assert.equal(detail.owner, 'agent');
    assert.equal(detail.assignedAgent.id, thandi.agentId);
    assert.equal(detail.step, 'askRegistration');

    const sent = await api(thandi, 'POST', `/${id}/messages`, { text: 'Yes! Thandi here, let me look.' });
    assert.equal(sent.statusCode, 202, sent.body);
    await settled(id);
    const reply = world.aisensy.outbound(phone).at(-1);
    assert.equal(reply?.via, 'session');
    assert.match(contentOf(reply), /Thandi here, let me look/);
    const after = (await api(thandi, 'GET', `/${id}`)).json();
    const agentLine = after.transcript.find(
      (entry: { author?: string; text: string }) =>
        entry.author === 'agent' && entry.text.includes('Thandi here'),
    );
    assert.equal(agentLine?.agentName, 'Thandi Mokoena');
    assert.ok(['sent', 'delivered', 'read'].includes(agentLine?.status), agentLine?.status);

    const released = await api(thandi, 'POST', `/${id}/release`, { mode: 'resume' });
    assert.equal(released.statusCode, 200, released.body);
    await settled(id);
    const handedBack = world.aisensy.outbound(phone).slice(-2).map(contentOf).join('\n');
    assert.match(handedBack, /back with the CIPC Agent bot/);
    assert.match(handedBack, /registration number/i, 'the question is asked again');
    // The bot answers again.
    const count = world.aisensy.outbound(phone).length;
    await ownerSays(phone, 'help');
    assert.ok(world.aisensy.outbound(phone).length > count);

    const actions = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.subject, `conversation:${id}`));
    for (const action of [
      'conversation.taken_over',
      'conversation.message_sent',
      'conversation.released',
      'conversation.viewed',
    ])
      assert.ok(
        actions.some((row) => row.action === action),
        action,
      );
  });

  it('restart hands back to a fresh start', async () => {
    const phone = newPhone();
    await ownerSays(phone, 'hi');
    await ownerSays(phone, 'No thanks');
    const id = await conversationOf(phone);
    assert.equal((await api(thandi, 'POST', `/${id}/takeover`)).statusCode, 200);
    await settled(id);
    assert.equal((await api(thandi, 'POST', `/${id}/release`, { mode: 'restart' })).statusCode, 200);
    await settled(id);
    const said = world.aisensy.outbound(phone).slice(-2).map(contentOf).join('\n');
    assert.match(said, /back with the CIPC Agent bot/);
    assert.match(said, /R199\.00/, 'the welcome again, not the step the owner was at');
    assert.equal((await api(thandi, 'GET', `/${id}`)).json().step, 'consent');
  });

  it('two agents taking over at once: exactly one wins, the other is told who has it', async () => {
    const { id } = await ownerAtRegistration();
    const [a, b] = await Promise.all([
      api(thandi, 'POST', `/${id}/takeover`),
      api(sipho, 'POST', `/${id}/takeover`),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    assert.deepEqual(codes, [200, 409]);
    const winner = a.statusCode === 200 ? a.json().agent : b.json().agent;
    const loser = a.statusCode === 409 ? a.json() : b.json();
    assert.equal(loser.error, 'already_taken');
    assert.equal(loser.message, `${winner.name} is handling this conversation`);
    assert.deepEqual(loser.agent, { id: winner.id, name: winner.name });
    const joined = await db()
      .select()
      .from(events)
      .where(and(eq(events.conversationId, id), eq(events.type, 'agent.joined')));
    assert.equal(joined.length, 1);
    // Only the holder may write.
    const other = winner.id === thandi.agentId ? sipho : thandi;
    const refused = await api(other, 'POST', `/${id}/messages`, { text: 'me too' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().message, new RegExp(`${winner.name} is handling`));
    await settled(id);
  });

  it('the idle timer hands an agent’s silent chat back, and not before', async () => {
    const { phone, id } = await ownerAtRegistration();
    assert.equal((await api(thandi, 'POST', `/${id}/takeover`)).statusCode, 200);
    await settled(id);
    const keys = world.app.encryptionKeys;
    const soon = await releaseIdleConversations(db(), keys, {
      now: new Date(Date.now() + IDLE_MS / 2),
      idleMs: IDLE_MS,
    });
    assert.ok(!soon.includes(id));
    const released = await releaseIdleConversations(db(), keys, {
      now: new Date(Date.now() + IDLE_MS + 60_000),
      idleMs: IDLE_MS,
    });
    assert.ok(released.includes(id));
    await engine.kick(id);
    await settled(id);
    assert.match(
      world.aisensy.outbound(phone).slice(-2).map(contentOf).join('\n'),
      /back with the CIPC Agent bot/,
    );
    const [conversation] = await db().select().from(conversations).where(eq(conversations.id, id));
    assert.equal(conversation?.owner, 'bot');
    assert.equal(conversation?.assignedAgentId, null);
  });

  it('an agent echo from AiSensy’s inbox takes over the same way, and the idle timer releases it', async () => {
    const { phone, id } = await ownerAtRegistration();
    await world.aisensy.agentEcho({ phone, text: 'Hello from the AiSensy inbox' });
    await settled(id);
    const [held] = await db().select().from(conversations).where(eq(conversations.id, id));
    assert.equal(held?.owner, 'agent');
    const before = world.aisensy.outbound(phone).length;
    await ownerSays(phone, 'hello?');
    assert.equal(world.aisensy.outbound(phone).length, before, 'the bot stayed silent');
    const console = await api(sipho, 'POST', `/${id}/takeover`);
    assert.equal(console.statusCode, 409);
    assert.equal(console.json().agent, null);
    const released = await releaseIdleConversations(db(), world.app.encryptionKeys, {
      now: new Date(Date.now() + IDLE_MS + 60_000),
      idleMs: IDLE_MS,
    });
    assert.ok(released.includes(id));
    await engine.kick(id);
    await settled(id);
    assert.match(
      world.aisensy.outbound(phone).slice(-2).map(contentOf).join('\n'),
      /back with the CIPC Agent bot/,
    );
  });

  it('refuses free text after the 24-hour window and sends an approved template instead', async () => {
    const { phone, id } = await ownerAtRegistration();
    assert.equal((await api(thandi, 'POST', `/${id}/takeover`)).statusCode, 200);
    await settled(id);
    await db()
      .update(conversations)
      .set({ lastInboundAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(conversations.id, id));
    const text = await api(thandi, 'POST', `/${id}/messages`, { text: 'Are you there?' });
    assert.equal(text.statusCode, 409);
    assert.equal(text.json().error, 'window_closed');
    const wrong = await api(thandi, 'POST', `/${id}/messages`, {
      template: 'cipc_agent_update',
      params: ['x'],
    });
    assert.equal(wrong.statusCode, 400);
    const template = await api(thandi, 'POST', `/${id}/messages`, {
      template: 'cipc_agent_update',
      params: ['Thandi', 'we found your company; reply to carry on.'],
    });
    assert.equal(template.statusCode, 202, template.body);
    await settled(id);
    const sent = world.aisensy.outbound(phone).at(-1);
    assert.equal(sent?.via, 'template');
    assert.match(contentOf(sent), /we found your company/);
    const rows = await db().select().from(outbox).where(eq(outbox.conversationId, id));
    assert.ok(rows.every((row) => row.status === 'sent'));
  });

  it('keeps private notes, hands the chat to another agent with a reason, and lists the queues', async () => {
    const { phone, id } = await ownerAtRegistration();
    await ownerSays(phone, 'agent');
    const waiting = (await api(thandi, 'GET', '?state=waiting')).json().conversations;
    const queued = waiting.find((item: { id: string }) => item.id === id);
    assert.ok(queued, 'waiting for a person');
    assert.equal(queued.state, 'waiting');
    assert.ok(queued.waitingSince);
    assert.match(queued.phoneDisplay, /^\+27 82 \d{3} \d{4}$/);
    const found = (
      await api(thandi, 'GET', `?state=all&q=${encodeURIComponent(`0${phone.slice(2)}`)}`)
    ).json();
    assert.deepEqual(
      found.conversations.map((item: { id: string }) => item.id),
      [id],
    );

    assert.equal((await api(thandi, 'POST', `/${id}/takeover`)).statusCode, 200);
    const note = await api(thandi, 'POST', `/${id}/notes`, { text: 'Owner is driving; call after 5.' });
    assert.equal(note.statusCode, 201);
    const assigned = await api(thandi, 'POST', `/${id}/assign`, {
      agentId: sipho.agentId,
      reason: 'CC expert',
    });
    assert.equal(assigned.statusCode, 200, assigned.body);
    await settled(id);
    assert.match(contentOf(world.aisensy.outbound(phone).at(-1)), /Sipho joined/);
    const mine = (await api(sipho, 'GET', '?state=mine')).json().conversations;
    assert.ok(mine.some((item: { id: string }) => item.id === id));
    const detail = (await api(sipho, 'GET', `/${id}`)).json();
    assert.ok(
      detail.transcript.some(
        (e: { type: string; text: string }) => e.type === 'note' && e.text.includes('call after 5'),
      ),
    );
    assert.ok(
      detail.transcript.some(
        (e: { type: string; text: string }) => e.type === 'marker' && /CC expert/.test(e.text),
      ),
    );
    assert.ok(detail.windowOpen);
    // Sipho holds it now.
    assert.equal((await api(sipho, 'POST', `/${id}/messages`, { text: 'Sipho here.' })).statusCode, 202);
    assert.equal((await api(thandi, 'POST', `/${id}/messages`, { text: 'Thandi again.' })).statusCode, 409);
    await settled(id);
  });

  it('refuses malformed input with 400 and changes nothing', async () => {
    const { id } = await ownerAtRegistration();
    assert.equal((await api(thandi, 'POST', `/${id}/release`, { mode: 'later' })).statusCode, 400);
    assert.equal((await api(thandi, 'POST', `/${id}/messages`, { text: '' })).statusCode, 400);
    assert.equal((await api(thandi, 'GET', '/not-a-uuid')).statusCode, 400);
    assert.equal((await api(thandi, 'GET', '?state=everything')).statusCode, 400);
    assert.equal((await api(thandi, 'POST', `/${id}/release`, { mode: 'resume' })).statusCode, 409);
  });
});
