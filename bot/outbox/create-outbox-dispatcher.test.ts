import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import Fastify from 'fastify';
import pino from 'pino';
import { contacts, conversations, messages, outbox } from '../../db/schema.js';
import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';
import { createAisensyClient } from '../aisensy/create-aisensy-client.js';
import { testConfig } from '../testing/build-test-app.js';
import { startWhatsappWorld } from '../testing/start-whatsapp-world.js';
import { createOutboxDispatcher } from './create-outbox-dispatcher.js';

const silent = pino({ level: 'silent' });
const nowhere = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });

type World = Awaited<ReturnType<typeof startWhatsappWorld>>;

async function conversationOf(world: World, phone: string): Promise<string> {
  const [row] = await world.database.db
    .select({ id: conversations.id })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(contacts.phone, phone));
  assert.ok(row, `a conversation for ${phone}`);
  return row.id;
}

async function queueReply(world: World, phone: string, message: OutboundMessage): Promise<number> {
  const conversationId = await conversationOf(world, phone);
  const [row] = await world.database.db
    .insert(messages)
    .values({
      conversationId,
      direction: 'out',
      author: 'bot',
      kind: message.kind,
      body: message as never,
      status: 'queued',
    })
    .returning({ id: messages.id });
  const [queued] = await world.database.db
    .insert(outbox)
    .values({
      conversationId,
      kind: 'whatsapp.send',
      payload: { phone, userName: 'Thandi', message, messageRowId: row?.id },
    })
    .returning({ id: outbox.id });
  return queued?.id as number;
}

describe('the outbox dispatcher against the AiSensy sandbox', () => {
  let world: World;
  let sandboxNow = new Date();
  before(async () => {
    world = await startWhatsappWorld({ now: () => sandboxNow, knobs: { receipts: 'manual' } });
  });
  after(() => world.close());

  /** A dispatcher sending to the sandbox, on its own clock when given one. */
  const dispatcherFor = (now?: () => Date) =>
    createOutboxDispatcher({
      db: world.database.db,
      aisensy: world.client,
      temporal: nowhere,
      logger: silent,
      ...(now && { now }),
    });

  it('sends a session message inside the 24-hour window and records its WhatsApp id', async () => {
    const phone = '+27825550001';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    const id = await queueReply(world, phone, {
      kind: 'buttons',
      text: 'Agree?',
      buttons: [{ id: 'yes', title: 'I agree' }],
    });
    const dispatcher = dispatcherFor();
    assert.equal(await dispatcher.runOnce(), 1);
    const sent = world.aisensy.outbound(phone.slice(1));
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.via, 'session');
    const [row] = await world.database.db.select().from(outbox).where(eq(outbox.id, id));
    assert.equal(row?.status, 'sent');
    assert.equal(row?.providerId, sent[0]?.wamid);
    const [transcript] = await world.database.db
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, sent[0]?.wamid as string));
    assert.equal(transcript?.status, 'sent');
  });

  it('takes a row that came due within the millisecond its clock reads (the database counts microseconds)', async () => {
    const phone = '+27825550009';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    const id = await queueReply(world, phone, { kind: 'text', text: 'Welcome!' });
    const millisecond = new Date();
    const queuedAt = `${millisecond.toISOString().slice(0, -1)}500Z`; // within that millisecond
    await world.database.db
      .update(outbox)
      .set({ nextAttemptAt: sql`${queuedAt}::timestamptz` })
      .where(eq(outbox.id, id));
    const dispatcher = dispatcherFor(() => millisecond);
    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal(world.aisensy.outbound(phone.slice(1)).length, 1);
  });

  it('sends a template when the reply comes 25 hours after the user last wrote', async () => {
    const phone = '+27825550002';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    await queueReply(world, phone, { kind: 'text', text: 'Your *certificate* is ready.\nThanks!' });
    const later = new Date(Date.now() + 25 * 3_600_000);
    const dispatcher = dispatcherFor(() => later);
    await dispatcher.runOnce();
    const [sent] = world.aisensy.outbound(phone.slice(1));
    assert.equal(sent?.via, 'template');
    const request = sent?.request as { campaignName: string; templateParams: string[] };
    assert.equal(request.campaignName, 'cipc_agent_update');
    assert.deepEqual(request.templateParams, ['Thandi', 'Your certificate is ready. Thanks!']);
  });

  it('falls back to a template when WhatsApp answers 131047 (the window had closed)', async () => {
    const phone = '+27825550003';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    await queueReply(world, phone, { kind: 'text', text: 'Still there?' });
    sandboxNow = new Date(Date.now() + 25 * 3_600_000); // the provider's clock says the window closed
    try {
      const dispatcher = dispatcherFor();
      await dispatcher.runOnce();
    } finally {
      sandboxNow = new Date();
    }
    const sent = world.aisensy.outbound(phone.slice(1));
    assert.deepEqual(
      sent.map((m) => m.via),
      ['template'],
    );
  });

  it('refuses a message over WhatsApp limits without sending it, and flags the conversation', async () => {
    const phone = '+27825550004';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    const id = await queueReply(world, phone, {
      kind: 'buttons',
      text: 'Pick',
      buttons: [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B' },
        { id: 'c', title: 'C' },
        { id: 'd', title: 'D' },
      ],
    });
    const dispatcher = dispatcherFor();
    await dispatcher.runOnce();
    assert.equal(world.aisensy.outbound(phone.slice(1)).length, 0);
    const [row] = await world.database.db.select().from(outbox).where(eq(outbox.id, id));
    assert.equal(row?.status, 'failed');
    const [conversation] = await world.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, await conversationOf(world, phone)));
    assert.match(conversation?.needsAgent ?? '', /needs 1 to 3 buttons/);
  });
});

describe('the outbox dispatcher against a failing provider', () => {
  it('retries 5xx with backoff, holds later messages of that conversation back, and keeps their order', async () => {
    const world = await startWhatsappWorld();
    after(() => world.close());
    const phone = '+27825550005';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    const answers = [503, 429, 200, 200];
    const received: string[] = [];
    const flaky = Fastify();
    flaky.post('/project-apis/v1/project/:id/messages', async (request, reply) => {
      const status = answers.shift() ?? 200;
      if (status !== 200) return reply.code(status).send({ error: { code: status, message: 'busy' } });
      received.push((request.body as { text: { body: string } }).text.body);
      return { messages: [{ id: `wamid.flaky${received.length}` }] };
    });
    const url = await flaky.listen({ host: '127.0.0.1', port: 0 });
    after(() => flaky.close());
    const first = await queueReply(world, phone, { kind: 'text', text: 'first' });
    await queueReply(world, phone, { kind: 'text', text: 'second' });
    let clock = Date.now();
    const dispatcher = createOutboxDispatcher({
      db: world.database.db,
      aisensy: createAisensyClient({ ...testConfig.aisensy, apiUrl: url }),
      temporal: nowhere,
      logger: silent,
      now: () => new Date(clock),
    });
    await dispatcher.runOnce(); // 503
    await dispatcher.runOnce(); // waits: the retry is not due yet, and "second" stays behind "first"
    assert.deepEqual(received, []);
    const [retrying] = await world.database.db.select().from(outbox).where(eq(outbox.id, first));
    assert.equal(retrying?.attempts, 1);
    assert.equal(retrying?.status, 'pending');
    assert.match(retrying?.lastError ?? '', /503/);
    clock += 10 * 60_000;
    await dispatcher.runOnce(); // 429
    clock += 10 * 60_000;
    await dispatcher.runOnce(); // first
    await dispatcher.runOnce(); // second
    assert.deepEqual(received, ['first', 'second']);
  });
});
