import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import Fastify from 'fastify';
import pino from 'pino';
import { encryptionKeys } from '../../config/encryption-key.js';
import { createDatabase, type Db } from '../../db/create-database.js';
import { contacts, conversations, messages, outbox } from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';
import { type AisensyClient, createAisensyClient } from '../aisensy/create-aisensy-client.js';
import { applyDeliveryStatus } from '../engine/apply-delivery-status.js';
import { testConfig } from '../testing/build-test-app.js';
import { insertBotMessage } from '../testing/insert-bot-message.js';
import { insertConversation } from '../testing/insert-conversation.js';
import { startWhatsappWorld } from '../testing/start-whatsapp-world.js';
import { createOutboxDispatcher, type OutboxDispatcherDeps } from './create-outbox-dispatcher.js';
import { OUTBOX_PAYLOAD_VERSION, outboxRow } from './outbox-row.js';

const silent = pino({ level: 'silent' });
const nowhere = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });

type World = Awaited<ReturnType<typeof startWhatsappWorld>>;

/** A dispatcher on `db` sending through `aisensy`, with Temporal out of reach. */
const dispatcherOn = (db: Db, aisensy: AisensyClient, options: Partial<OutboxDispatcherDeps> = {}) =>
  createOutboxDispatcher({
    db,
    aisensy,
    temporal: nowhere,
    logger: silent,
    encryptionKeys: encryptionKeys(testConfig),
    ...options,
  });

async function conversationOf(world: World, phone: string): Promise<string> {
  const [row] = await world.database.db
    .select({ id: conversations.id })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(contacts.phone, phone));
  assert.ok(row, `a conversation for ${phone}`);
  return row.id;
}

/** A bot reply on the transcript and its `whatsapp.send` row in the outbox; resolves to the outbox row's id. */
async function queueSend(db: Db, conversationId: string, phone: string, message: OutboundMessage) {
  const messageRowId = await insertBotMessage(db, conversationId, message);
  const [queued] = await db
    .insert(outbox)
    .values({
      conversationId,
      kind: 'whatsapp.send',
      payload: { phone, userName: 'Thandi', message, messageRowId },
    })
    .returning({ id: outbox.id });
  return queued?.id as number;
}

async function queueReply(world: World, phone: string, message: OutboundMessage): Promise<number> {
  return queueSend(world.database.db, await conversationOf(world, phone), phone, message);
}

/** The outbox row, its transcript row and its conversation, as they stand. */
async function rowsOf(db: Db, outboxId: number) {
  const [row] = await db.select().from(outbox).where(eq(outbox.id, outboxId));
  assert.ok(row, `outbox row ${outboxId}`);
  const [message] = await db
    .select()
    .from(messages)
    .where(eq(messages.id, (row.payload as { messageRowId: number }).messageRowId));
  assert.ok(message, `the transcript row of outbox row ${outboxId}`);
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.id, row.conversationId as string));
  return { row, message, conversation };
}

describe('the outbox dispatcher against the AiSensy sandbox', () => {
  let world: World;
  let sandboxNow = new Date();
  before(async () => {
    world = await startWhatsappWorld({ now: () => sandboxNow, knobs: { receipts: 'manual' } });
  });
  after(() => world.close());

  /** A dispatcher sending to the sandbox, on its own clock when given one. */
  const dispatcherFor = (now?: () => Date) => dispatcherOn(world.database.db, world.client, now && { now });

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

  it("keeps a template's AiSensy id apart from the wamid, and gives the row the wamid of its first status", async () => {
    const phone = '+27825550010';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    const id = await queueReply(world, phone, { kind: 'text', text: 'Your certificate is ready.' });
    const later = new Date(Date.now() + 25 * 3_600_000);
    await dispatcherFor(() => later).runOnce();
    const [sent] = world.aisensy.outbound(phone.slice(1));
    assert.ok(sent);
    assert.equal(sent.via, 'template');
    assert.equal((sent.request as { destination: string }).destination, phone, 'E.164 with its +');
    const { row, message } = await rowsOf(world.database.db, id);
    assert.equal(row.status, 'sent');
    assert.match(row.providerId ?? '', /^[0-9a-f-]{36}$/, "AiSensy's submitted_message_id");
    assert.equal(message.submittedMessageId, row.providerId);
    assert.equal(message.providerMessageId, null, 'not the wamid: that one only the statuses carry');
    assert.equal(message.status, 'sent');
    await applyDeliveryStatus(world.database.db, {
      providerMessageId: sent.wamid,
      status: 'delivered',
      template: { phone, sentAt: message.sentAt as Date },
    });
    const { message: ticked } = await rowsOf(world.database.db, id);
    assert.equal(ticked.providerMessageId, sent.wamid);
    assert.equal(ticked.status, 'delivered');
  });

  it("ticks a template's transcript row from AiSensy's status webhooks, whose wamid the send never named", async () => {
    const phone = '+27825550014';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    const id = await queueReply(world, phone, { kind: 'text', text: 'Your certificate is ready.' });
    sandboxNow = new Date(Date.now() + 25 * 3_600_000); // one clock for both sides: a day later
    try {
      await dispatcherFor(() => sandboxNow).runOnce();
      const [sent] = world.aisensy.outbound(phone.slice(1));
      assert.equal(sent?.via, 'template');
      world.aisensy.setStatus(sent?.wamid as string, 'read');
      await world.aisensy.idle();
    } finally {
      sandboxNow = new Date();
    }
    const [sent] = world.aisensy.outbound(phone.slice(1));
    let { message } = await rowsOf(world.database.db, id);
    // Each status is its own webhook: wait for the last one to be applied.
    for (let i = 0; i < 50 && message.status !== 'read'; i++) {
      await delay(20);
      ({ message } = await rowsOf(world.database.db, id));
    }
    assert.equal(message.providerMessageId, sent?.wamid);
    assert.equal(message.status, 'read');
  });

  it("gives the transcript row the template's status after WhatsApp failed the session message with 131047", async () => {
    const phone = '+27825550011';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    const id = await queueReply(world, phone, { kind: 'text', text: 'Still there?' });
    await dispatcherFor().runOnce();
    const [session] = world.aisensy.outbound(phone.slice(1));
    assert.equal(session?.via, 'session');
    // The status webhook of a session message the window had closed on, hours after it was accepted.
    await applyDeliveryStatus(world.database.db, {
      providerMessageId: session?.wamid as string,
      status: 'failed',
      failureCode: '131047',
    });
    await dispatcherFor().runOnce();
    const [, fallback] = world.aisensy.outbound(phone.slice(1));
    assert.equal(fallback?.via, 'template');
    assert.equal(
      (await rowsOf(world.database.db, id)).message.status,
      'sent',
      'the template went out: no longer failed',
    );
    await applyDeliveryStatus(world.database.db, {
      providerMessageId: fallback?.wamid as string,
      status: 'read',
      template: { phone, sentAt: new Date() },
    });
    assert.equal((await rowsOf(world.database.db, id)).message.status, 'read');
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

describe('the outbox dispatcher and payload versions', () => {
  it('sends a payload of its version or older (none stamped), and leaves a newer one to a newer replica', async () => {
    const world = await startWhatsappWorld();
    after(() => world.close());
    const phone = '+27825550199';
    await world.aisensy.sendFromUser({ phone, text: 'hi' });
    const conversationId = await conversationOf(world, phone);
    const message: OutboundMessage = { kind: 'text', text: 'Hello' };
    const legacy = await queueSend(world.database.db, conversationId, '+27825550198', message);
    const newer = await queueSend(world.database.db, conversationId, phone, message);
    await world.database.db
      .update(outbox)
      .set({
        payload: sql`${outbox.payload} || '{"v": ${sql.raw(String(OUTBOX_PAYLOAD_VERSION + 1))}}'::jsonb`,
      })
      .where(eq(outbox.id, newer));
    const current = await world.database.db
      .insert(outbox)
      .values(
        outboxRow(conversationId, 'temporal.startLookup', {
          conversationId,
          registrationNumber: '2019/123456/07',
          requestedAt: new Date().toISOString(),
        }),
      )
      .returning({ id: outbox.id });
    await dispatcherOn(world.database.db, world.client).runOnce();
    const statusOf = async (id: number) =>
      (await world.database.db.select().from(outbox).where(eq(outbox.id, id)))[0];
    assert.equal((await statusOf(legacy))?.status, 'sent');
    assert.equal((await statusOf(newer))?.attempts, 0, 'never claimed');
    assert.equal((await statusOf(newer))?.status, 'pending');
    assert.equal(
      (await statusOf(current[0]?.id as number))?.attempts,
      1,
      'claimed (Temporal is out of reach)',
    );
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
    const dispatcher = dispatcherOn(
      world.database.db,
      createAisensyClient({ ...testConfig.aisensy, apiUrl: url }),
      { now: () => new Date(clock) },
    );
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

describe('the outbox dispatcher against AiSensy answers that are not what they seem', () => {
  let world: World;
  const provider = Fastify();
  let campaignAnswer: { status: number; body: unknown } = { status: 200, body: {} };
  let sessionAnswer: { status: number; body: unknown } = { status: 200, body: {} };
  let client: ReturnType<typeof createAisensyClient>;
  before(async () => {
    world = await startWhatsappWorld();
    provider.post('/campaign', async (_request, reply) =>
      reply.code(campaignAnswer.status).send(campaignAnswer.body),
    );
    provider.post('/project-apis/v1/project/:id/messages', async (_request, reply) =>
      reply.code(sessionAnswer.status).send(sessionAnswer.body),
    );
    const url = await provider.listen({ host: '127.0.0.1', port: 0 });
    client = createAisensyClient({ ...testConfig.aisensy, apiUrl: url, campaignUrl: `${url}/campaign` });
  });
  after(async () => {
    await provider.close();
    await world.close();
  });

  it('fails a template AiSensy answered 200 with success "false", and asks a person, keeping the reason', async () => {
    const phone = '+27825550012';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    const id = await queueReply(world, phone, { kind: 'text', text: 'Your certificate is ready.' });
    campaignAnswer = { status: 200, body: { success: 'false', message: 'Template is paused' } };
    const later = new Date(Date.now() + 25 * 3_600_000);
    await dispatcherOn(world.database.db, client, { now: () => later }).runOnce();
    const { row, message, conversation } = await rowsOf(world.database.db, id);
    assert.equal(row?.status, 'failed');
    assert.match(row?.lastError ?? '', /Template is paused/);
    assert.equal(message?.status, 'failed');
    assert.match(conversation?.needsAgent ?? '', /Template is paused/);
  });

  it('counts a session 2xx without a message id as sent (id unknown), without asking a person', async () => {
    const phone = '+27825550013';
    await world.aisensy.sendFromUser({ phone: phone.slice(1), text: 'hi' });
    const id = await queueReply(world, phone, { kind: 'text', text: 'Thanks!' });
    sessionAnswer = { status: 200, body: { messaging_product: 'whatsapp' } };
    await dispatcherOn(world.database.db, client).runOnce();
    const { row, message, conversation } = await rowsOf(world.database.db, id);
    assert.equal(row?.status, 'sent');
    assert.equal(row?.providerId, null);
    assert.equal(message?.status, 'sent');
    assert.equal(message?.providerMessageId, null);
    assert.equal(conversation?.needsAgent, null);
  });
});

/** AiSensy's session API taking `delayMs` per call; `received` lists the texts in the order they arrived. */
async function slowAisensy(delayMs: number) {
  const received: string[] = [];
  const app = Fastify();
  app.post('/project-apis/v1/project/:id/messages', async (request) => {
    const text = (request.body as { text: { body: string } }).text.body;
    received.push(text);
    await delay(delayMs);
    return { messaging_product: 'whatsapp', messages: [{ id: `wamid.${text}.${randomUUID()}` }] };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  after(() => app.close());
  return { received, client: createAisensyClient({ ...testConfig.aisensy, apiUrl: url }) };
}

let users = 0;
/** `count` users who wrote just now, each with `replies` texts queued for them: `c<user>-<reply>`. */
async function queueReplies(db: Db, count: number, replies: number) {
  const queued: { text: string; outboxId: number }[] = [];
  for (let c = 0; c < count; c++) {
    const phone = `+27831${String(++users).padStart(6, '0')}`;
    const conversationId = await insertConversation(db, phone, { lastInboundAt: new Date() });
    for (let r = 0; r < replies; r++) {
      const text = `c${c}-${r}`;
      const message: OutboundMessage = { kind: 'text', text };
      queued.push({ text, outboxId: await queueSend(db, conversationId, phone, message) });
    }
  }
  return queued;
}

describe('the outbox dispatcher holds no database connection across the network', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('leaves a small pool free for other queries while AiSensy takes 2 s per call', {
    skip: !process.env.TEST_DATABASE_URL && 'PGlite has one connection',
  }, async () => {
    const small = await createDatabase({ url: database.url as string, maxConnections: 2 });
    after(() => small.close());
    await queueReplies(database.db, 6, 1);
    const aisensy = await slowAisensy(2000);
    const dispatcher = dispatcherOn(small.db, aisensy.client);
    const pass = dispatcher.runOnce();
    while (aisensy.received.length < 6) await delay(20); // every send is in flight
    const started = performance.now();
    await small.db.execute(sql`select 1`);
    const waited = performance.now() - started;
    assert.ok(waited < 500, `a query waited ${Math.round(waited)} ms for a connection`);
    assert.equal(await pass, 6);
  });

  it('two dispatchers on one database never send a row twice, and keep each conversation in order', async () => {
    const other = database.url ? await createDatabase({ url: database.url }) : database;
    if (other !== database) after(() => other.close());
    const texts = (await queueReplies(database.db, 8, 3)).map((queued) => queued.text);
    const aisensy = await slowAisensy(30);
    const [one, two] = [database, other].map((d) => dispatcherOn(d.db, aisensy.client));
    for (let pass = 0; pass < 20 && aisensy.received.length < texts.length; pass++) {
      await Promise.all([one?.runOnce(), two?.runOnce()]);
    }
    assert.deepEqual([...aisensy.received].sort(), [...texts].sort(), 'each reply exactly once');
    for (let c = 0; c < 8; c++) {
      const order = aisensy.received.filter((text) => text.startsWith(`c${c}-`));
      assert.deepEqual(order, [`c${c}-0`, `c${c}-1`, `c${c}-2`]);
    }
  });

  it('sends a row again once the lease of a dispatcher that died mid-send expired; the dead one records nothing', async () => {
    const [queued] = await queueReplies(database.db, 1, 1);
    assert.ok(queued);
    let answerLate: (wamid: string) => void = () => {};
    const stuck = new Promise<string>((resolve) => {
      answerLate = resolve;
    });
    const dying = dispatcherOn(
      database.db,
      { sendSession: () => stuck, sendTemplate: () => stuck },
      { leaseMs: 300 },
    );
    const aisensy = await slowAisensy(0);
    const survivor = dispatcherOn(database.db, aisensy.client, { leaseMs: 300 });
    const dyingPass = dying.runOnce();
    await delay(50);
    assert.equal(await survivor.runOnce(), 0, 'the row is leased');
    await delay(400);
    assert.equal(await survivor.runOnce(), 1, 'the lease expired');
    assert.deepEqual(aisensy.received, [queued.text]);
    answerLate('wamid.from-the-dead');
    await dyingPass;
    const { row, message } = await rowsOf(database.db, queued.outboxId);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.match(row.providerId ?? '', new RegExp(`^wamid\\.${queued.text}\\.`), "the survivor's send");
    assert.equal(message.providerMessageId, row.providerId);
  });
});
