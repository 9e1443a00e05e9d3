import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversations, events, messages } from '../../../db/schema.js';
import { buildTestApp, postAisensy, userTextEnvelope } from '../../testing/build-test-app.js';

describe('POST /webhooks/aisensy', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('stores a signed user message as one event and one transcript row, then answers 200', async () => {
    const envelope = userTextEnvelope('+27821110001', 'hi');
    const response = await postAisensy(t.app, envelope);
    assert.equal(response.statusCode, 200, response.body);
    const stored = await t.database.db
      .select()
      .from(events)
      .where(eq(events.dedupeKey, `wa:${envelope.data.message.messageId}`));
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0]?.payload, {
      type: 'user.text',
      at: stored[0]?.payload && (stored[0].payload as { at: string }).at,
      text: 'hi',
    });
    assert.equal(stored[0]?.status, 'pending');
  });

  it('refuses a forged or missing signature with 401 and stores nothing', async () => {
    const before = (await t.database.db.select().from(events)).length;
    const envelope = userTextEnvelope('+27821110002', 'forged');
    const forged = await postAisensy(t.app, envelope, 'a'.repeat(64));
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.json().error, 'invalid_signature');
    const missing = await t.app.inject({
      method: 'POST',
      url: '/webhooks/aisensy',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(envelope),
    });
    assert.equal(missing.statusCode, 401);
    assert.equal((await t.database.db.select().from(events)).length, before);
  });

  it('refuses a malformed envelope with 400 naming the problem', async () => {
    const response = await postAisensy(t.app, { id: 'x', topic: 'message.sender.user' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error, 'invalid_request');
    assert.match(response.json().message, /data/);
    const badPhone = userTextEnvelope('+27821110003', 'hi');
    badPhone.data.message.phone_number = '12';
    const phoneResponse = await postAisensy(t.app, badPhone);
    assert.equal(phoneResponse.statusCode, 400);
    assert.equal(phoneResponse.json().error, 'invalid_phone');
  });

  it('delivered 10 times (retries and a second envelope for the same message) keeps one event', async () => {
    const envelope = userTextEnvelope('+27821110004', 'once');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postAisensy(
          t.app,
          i < 5 ? { ...envelope, delivery_attempt: i + 1 } : { ...envelope, id: `other-envelope-${i}` },
        ),
      ),
    );
    assert.ok(answers.every((a) => a.statusCode === 200));
    const stored = await t.database.db
      .select()
      .from(events)
      .where(eq(events.dedupeKey, `wa:${envelope.data.message.messageId}`));
    assert.equal(stored.length, 1);
    const transcript = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, envelope.data.message.messageId));
    assert.equal(transcript.length, 1);
  });

  it('reads both interactive shapes as a choice', async () => {
    const quick = userTextEnvelope('+27821110005', 'Yes, that is us');
    Object.assign(quick.data.message, {
      message_type: 'QUICK_REPLY',
      message_content: { text: 'Yes, that is us', callbackPayload: 'company.yes' },
    });
    const cloud = userTextEnvelope('+27821110005', '');
    Object.assign(cloud.data.message, {
      message_type: 'INTERACTIVE',
      message_content: undefined,
      interactive: { type: 'list_reply', list_reply: { id: 'band.1', title: 'Under R1 million' } },
    });
    for (const envelope of [quick, cloud]) assert.equal((await postAisensy(t.app, envelope)).statusCode, 200);
    const [a] = await t.database.db
      .select()
      .from(events)
      .where(eq(events.dedupeKey, `wa:${quick.data.message.messageId}`));
    const [b] = await t.database.db
      .select()
      .from(events)
      .where(eq(events.dedupeKey, `wa:${cloud.data.message.messageId}`));
    assert.deepEqual(
      { ...(a?.payload as object), at: undefined },
      { type: 'user.choice', at: undefined, id: 'company.yes', title: 'Yes, that is us' },
    );
    assert.deepEqual(
      { ...(b?.payload as object), at: undefined },
      { type: 'user.choice', at: undefined, id: 'band.1', title: 'Under R1 million' },
    );
  });

  it('applies delivery statuses monotonically: a late "delivered" never downgrades "read"', async () => {
    const envelope = userTextEnvelope('+27821110006', 'hi');
    await postAisensy(t.app, envelope);
    const [inbound] = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, envelope.data.message.messageId));
    const [outbound] = await t.database.db
      .insert(messages)
      .values({
        conversationId: inbound?.conversationId as string,
        direction: 'out',
        author: 'bot',
        kind: 'text',
        body: { text: 'hello' },
        status: 'sent',
        providerMessageId: 'wamid.out1',
      })
      .returning();
    const status = (s: string, seconds: number) => ({
      id: `status-${s}-${seconds}`,
      topic: 'message.status.updated',
      data: {
        message: { messageId: 'wamid.out1', phone_number: '27821110006', status: s, timestamp: seconds },
      },
    });
    for (const [s, at] of [
      ['read', 3],
      ['delivered', 2],
      ['sent', 1],
    ] as const) {
      assert.equal((await postAisensy(t.app, status(s, at))).statusCode, 200);
    }
    const [after] = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.id, outbound?.id as number));
    assert.equal(after?.status, 'read');
  });

  it('an agent echo hands the conversation to the agent (the bot falls silent)', async () => {
    const envelope = userTextEnvelope('+27821110007', 'hello');
    await postAisensy(t.app, envelope);
    const echo = {
      id: 'echo-1',
      topic: 'message.created',
      data: {
        message: {
          messageId: 'wamid.agent1',
          phone_number: '27821110007',
          sender: 'AGENT',
          message_type: 'TEXT',
          message_content: { text: 'Hi, Sipho here' },
        },
      },
    };
    assert.equal((await postAisensy(t.app, echo)).statusCode, 200);
    const [inbound] = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, envelope.data.message.messageId));
    const [conversation] = await t.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, inbound?.conversationId as string));
    assert.equal(conversation?.owner, 'agent');
  });
});
