import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asc, eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { initialTransition, transition } from 'xstate';
import { encryptionKeys } from '../../config/encryption-key.js';
import { createDatabase, queryRows } from '../../db/create-database.js';
import { contacts, conversations, events, outbox } from '../../db/schema.js';
import { openJson, sealJson } from '../../db/seal-json.js';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import { commandsOf, conversationMachine, MACHINE_VERSION } from '../../flows/conversation/index.js';
import { buildTestApp, postAisensy, testConfig, userTextEnvelope } from '../testing/build-test-app.js';
import { applyConversationEvents, type EngineDeps } from './apply-conversation-events.js';
import { createEngine } from './create-engine.js';

const silent = pino({ level: 'silent' });

function engineDeps(db: EngineDeps['db']): EngineDeps {
  return {
    db,
    logger: silent,
    serviceFeeCents: testConfig.serviceFeeCents,
    publicBaseUrl: testConfig.publicBaseUrl,
    // The keys the test app seals webhooks with.
    encryptionKeys: encryptionKeys(testConfig),
    payTokenTtlMs: 3_600_000,
  };
}

/** What the machine alone says to these events in this order: what a correct engine must have queued. */
function expectedReplies(phone: string, stored: ConversationEvent[]): unknown[] {
  let [snapshot] = initialTransition(conversationMachine, {
    phone,
    serviceFeeCents: testConfig.serviceFeeCents,
  });
  const replies: unknown[] = [];
  for (const event of stored) {
    const [next, actions] = transition(conversationMachine, snapshot, event);
    snapshot = next;
    for (const command of commandsOf(actions)) if (command.type === 'reply') replies.push(command.message);
  }
  return replies;
}

async function conversationIdOf(db: EngineDeps['db'], phone: string): Promise<string> {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(contacts.phone, phone));
  return row?.id as string;
}

/** The conversation's events, their payloads opened. */
async function storedEvents(db: EngineDeps['db'], conversationId: string) {
  const rows = await db
    .select()
    .from(events)
    .where(eq(events.conversationId, conversationId))
    .orderBy(asc(events.id));
  return rows.map((row) => ({ ...row, payload: openJson(row.payload, encryptionKeys(testConfig)) }));
}

/** The messages queued for this conversation, in the order the dispatcher sends them. */
async function repliesQueued(db: EngineDeps['db'], conversationId: string): Promise<unknown[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(eq(outbox.conversationId, conversationId))
    .orderBy(asc(outbox.id));
  return rows
    .filter((r) => r.kind === 'whatsapp.send')
    .map((r) => openJson<{ message: unknown }>(r.payload, encryptionKeys(testConfig)).message);
}

describe('the conversation engine', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let engine: ReturnType<typeof createEngine>;
  before(async () => {
    let kick: (id: string) => Promise<void> = async () => {};
    t = await buildTestApp({ engine: { kick: (id) => kick(id) } });
    engine = createEngine({ ...engineDeps(t.database.db), pollIntervalMs: 100 });
    kick = engine.kick;
    engine.start();
  });
  after(async () => {
    await engine.stop();
    await t.close();
  });

  async function settled(conversationId: string): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const pending = (await storedEvents(t.database.db, conversationId)).filter(
        (e) => e.status === 'pending',
      );
      if (pending.length === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('events still pending');
  }

  it('applies 50 concurrent messages from one user in order, with no lost update', async () => {
    const phone = '+27826660001';
    const texts = ['hi', ...Array.from({ length: 49 }, (_, i) => (i % 7 === 3 ? 'help' : `message ${i}`))];
    const answers = await Promise.all(texts.map((text) => postAisensy(t.app, userTextEnvelope(phone, text))));
    assert.ok(answers.every((a) => a.statusCode === 200));
    const conversationId = await conversationIdOf(t.database.db, phone);
    await settled(conversationId);
    const stored = await storedEvents(t.database.db, conversationId);
    assert.equal(stored.length, 50);
    assert.ok(stored.every((e) => e.status === 'processed'));
    const expected = expectedReplies(
      phone,
      stored.map((e) => e.payload as unknown as ConversationEvent),
    );
    assert.ok(expected.length >= 50, 'the machine answers every message');
    // The same replies in the same order as the machine alone gives: applied in the order stored, none lost.
    assert.deepEqual(await repliesQueued(t.database.db, conversationId), expected);
  });

  it('gives exactly one reply per message when every webhook is delivered 10 times', async () => {
    const phone = '+27826660002';
    const envelopes = ['hi', 'help', 'status', 'what?', 'menu'].map((text) => userTextEnvelope(phone, text));
    for (const envelope of envelopes) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => postAisensy(t.app, { ...envelope, delivery_attempt: i + 1 })),
      );
    }
    const conversationId = await conversationIdOf(t.database.db, phone);
    await settled(conversationId);
    const stored = await storedEvents(t.database.db, conversationId);
    assert.equal(stored.length, 5);
    const expected = expectedReplies(
      phone,
      stored.map((e) => e.payload as unknown as ConversationEvent),
    );
    assert.deepEqual(await repliesQueued(t.database.db, conversationId), expected);
  });

  it('marks an event it cannot apply as failed, flags the conversation, and keeps the others flowing', async () => {
    const broken = '+27826660003';
    await postAisensy(t.app, userTextEnvelope(broken, 'hi'));
    const brokenId = await conversationIdOf(t.database.db, broken);
    await settled(brokenId);
    await t.database.db
      .update(conversations)
      .set({ snapshot: { sealed: 'v1:not:a:real:snapshot' } })
      .where(eq(conversations.id, brokenId));
    await postAisensy(t.app, userTextEnvelope(broken, 'status'));
    await postAisensy(t.app, userTextEnvelope('+27826660004', 'hi'));
    const healthyId = await conversationIdOf(t.database.db, '+27826660004');
    await settled(brokenId);
    await settled(healthyId);
    const brokenEvents = await storedEvents(t.database.db, brokenId);
    assert.equal(brokenEvents.at(-1)?.status, 'failed');
    const [flagged] = await t.database.db.select().from(conversations).where(eq(conversations.id, brokenId));
    assert.match(flagged?.needsAgent ?? '', /could not be handled/);
    assert.ok((await repliesQueued(t.database.db, healthyId)).length > 0);
  });

  it('resumes the question left for the menu when "continue" comes in a later message', async () => {
    const phone = '+27826660006';
    const conversationId = await (async () => {
      await postAisensy(t.app, userTextEnvelope(phone, 'hi'));
      const id = await conversationIdOf(t.database.db, phone);
      await settled(id);
      return id;
    })();
    for (const text of ['I agree', 'menu', 'Continue']) {
      await postAisensy(t.app, userTextEnvelope(phone, text));
      await settled(conversationId);
    }
    const events = await storedEvents(t.database.db, conversationId);
    assert.deepEqual(
      events.map((e) => e.status),
      ['processed', 'processed', 'processed', 'processed'],
    );
    const last = (await repliesQueued(t.database.db, conversationId)).at(-1) as { text?: string };
    assert.match(String(last?.text), /registration number/);
  });

  it('says nothing to a conversation erased on request, and keeps what still arrives for it', async () => {
    const phone = '+27826660009';
    await postAisensy(t.app, userTextEnvelope(phone, 'hi'));
    const conversationId = await conversationIdOf(t.database.db, phone);
    await settled(conversationId);
    const before = (await repliesQueued(t.database.db, conversationId)).length;
    const [conversation] = await t.database.db
      .select({ contactId: conversations.contactId })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    await t.database.db
      .update(contacts)
      .set({ erasedAt: new Date(), phone: `erased:${conversation?.contactId}`, name: null })
      .where(eq(contacts.id, conversation?.contactId as string));
    await t.database.db.insert(events).values({
      conversationId,
      dedupeKey: `late:${conversationId}`,
      type: 'user.text',
      // Stands in for anything that would make the bot speak: an answer to "help" comes in every state.
      payload: sealJson(
        { v: 2, type: 'user.text', at: new Date().toISOString(), text: 'help' },
        encryptionKeys(testConfig),
      ),
    });
    await engine.kick(conversationId);
    await settled(conversationId);
    assert.equal((await storedEvents(t.database.db, conversationId)).at(-1)?.status, 'processed');
    assert.equal((await repliesQueued(t.database.db, conversationId)).length, before);
  });

  it('leaves a conversation saved by a newer bot to that bot, and applies it once it is readable', async () => {
    const phone = '+27826660007';
    await postAisensy(t.app, userTextEnvelope(phone, 'hi'));
    const conversationId = await conversationIdOf(t.database.db, phone);
    await settled(conversationId);
    const [saved] = await t.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    await t.database.db
      .update(conversations)
      .set({ machineVersion: MACHINE_VERSION + 1 })
      .where(eq(conversations.id, conversationId));
    const before = (await repliesQueued(t.database.db, conversationId)).length;
    await postAisensy(t.app, userTextEnvelope(phone, 'I agree'));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await storedEvents(t.database.db, conversationId)).at(-1)?.status, 'pending');
    assert.equal((await repliesQueued(t.database.db, conversationId)).length, before);
    // The newer bot's replica would apply it; here the version is put back to stand in for it.
    await t.database.db
      .update(conversations)
      .set({ machineVersion: saved?.machineVersion as number })
      .where(eq(conversations.id, conversationId));
    await settled(conversationId);
    assert.equal((await storedEvents(t.database.db, conversationId)).at(-1)?.status, 'processed');
  });

  it('restarts politely when a stored snapshot is from a machine version it cannot migrate', async () => {
    const phone = '+27826660005';
    await postAisensy(t.app, userTextEnvelope(phone, 'hi'));
    const conversationId = await conversationIdOf(t.database.db, phone);
    await settled(conversationId);
    await t.database.db
      .update(conversations)
      .set({ machineVersion: -1 })
      .where(eq(conversations.id, conversationId));
    const before = (await repliesQueued(t.database.db, conversationId)).length;
    await postAisensy(t.app, userTextEnvelope(phone, 'hello again'));
    await settled(conversationId);
    const events = await storedEvents(t.database.db, conversationId);
    assert.equal(events.at(-1)?.status, 'processed');
    assert.ok(
      (await repliesQueued(t.database.db, conversationId)).length > before + 1,
      'a notice and the new welcome',
    );
    const [row] = await t.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    assert.ok((row?.machineVersion ?? 0) > 0);
    assert.match(String(row?.needsAgent), /could not be carried over/);
  });
});

describe('applying a batch of conversations in one transaction', () => {
  it('isolates the one conversation that fails: the others are applied, it alone is marked and flagged', async () => {
    // No engine runs here: the events wait until the batch below applies them.
    const t = await buildTestApp({ engine: { kick: async () => {} } });
    after(() => t.close());
    const deps = engineDeps(t.database.db);
    const phones = ['+27828880001', '+27828880002', '+27828880003'];
    for (const phone of phones) await postAisensy(t.app, userTextEnvelope(phone, 'hi'));
    const ids = await Promise.all(phones.map((phone) => conversationIdOf(t.database.db, phone)));
    assert.deepEqual(await applyConversationEvents(deps, ids), { handled: 3, more: [] });

    for (const phone of phones) await postAisensy(t.app, userTextEnvelope(phone, 'status'));
    const broken = ids[1] as string;
    await t.database.db
      .update(conversations)
      .set({ snapshot: { sealed: 'v1:not:a:real:snapshot' } })
      .where(eq(conversations.id, broken));
    const { handled } = await applyConversationEvents(deps, ids);
    assert.equal(handled, 3);

    for (const [i, conversationId] of ids.entries()) {
      const stored = await storedEvents(t.database.db, conversationId);
      const expected = expectedReplies(
        phones[i] as string,
        stored.map((e) => e.payload as unknown as ConversationEvent),
      );
      if (conversationId === broken) {
        assert.deepEqual(
          stored.map((e) => e.status),
          ['processed', 'failed'],
        );
        assert.equal((await repliesQueued(t.database.db, conversationId)).length, 1, 'only the welcome');
        const [row] = await t.database.db.select().from(conversations).where(eq(conversations.id, broken));
        assert.match(row?.needsAgent ?? '', /could not be handled/);
      } else {
        assert.ok(stored.every((e) => e.status === 'processed'));
        assert.deepEqual(await repliesQueued(t.database.db, conversationId), expected);
      }
    }
  });
});

describe('two engine replicas on one PostgreSQL database', {
  skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL',
}, () => {
  it('never interleave a conversation', async () => {
    const t = await buildTestApp();
    after(() => t.close());
    const url = t.database.url as string;
    const replicaA = await createDatabase({ url });
    const replicaB = await createDatabase({ url });
    const engines = [replicaA, replicaB].map((database) =>
      createEngine({ ...engineDeps(database.db), pollIntervalMs: 20 }),
    );
    after(async () => {
      for (const engine of engines) await engine.stop();
      await replicaA.close();
      await replicaB.close();
    });
    const phones = ['+27827770001', '+27827770002', '+27827770003'];
    await Promise.all(
      phones.flatMap((phone) =>
        ['hi', 'help', 'status', 'no idea', 'menu', 'help', 'status', 'ok'].map((text) =>
          postAisensy(t.app, userTextEnvelope(phone, text)),
        ),
      ),
    );
    for (const engine of engines) engine.start();
    for (let i = 0; i < 400; i++) {
      const [{ pending }] = (await queryRows<{ pending: string }>(
        t.database.db,
        sql`select count(*) as pending from events where status = 'pending'`,
      )) as [{ pending: string }];
      if (Number(pending) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const phone of phones) {
      const conversationId = await conversationIdOf(t.database.db, phone);
      const stored = await storedEvents(t.database.db, conversationId);
      assert.ok(stored.every((e) => e.status === 'processed'));
      const expected = expectedReplies(
        phone,
        stored.map((e) => e.payload as unknown as ConversationEvent),
      );
      assert.deepEqual(await repliesQueued(t.database.db, conversationId), expected);
    }
  });
});
