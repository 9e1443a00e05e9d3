import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversations, events, messages, unhandledAisensyDeliveries } from '../../../db/schema.js';
import { isSealed, openJson } from '../../../db/seal-json.js';
import { buildTestApp, postAisensy, signAisensy, userTextEnvelope } from '../../testing/build-test-app.js';

describe('POST /webhooks/aisensy', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const eventWithoutTime = async (envelope: ReturnType<typeof userTextEnvelope>) => {
    const [event] = await t.database.db
      .select()
      .from(events)
      .where(eq(events.dedupeKey, `wa:${envelope.data.message.messageId}`));
    return { ...openJson<object>(event?.payload, t.app.encryptionKeys), at: undefined };
  };

  it('stores a signed user message as one event and one transcript row, then answers 200', async () => {
    const envelope = userTextEnvelope('+27821110001', 'hi');
    const response = await postAisensy(t.app, envelope);
    assert.equal(response.statusCode, 200, response.body);
    const stored = await t.database.db
      .select()
      .from(events)
      .where(eq(events.dedupeKey, `wa:${envelope.data.message.messageId}`));
    assert.equal(stored.length, 1);
    assert.ok(isSealed(stored[0]?.payload), 'what the user typed is stored sealed');
    const payload = openJson<{ at: string }>(stored[0]?.payload, t.app.encryptionKeys);
    assert.deepEqual(payload, { type: 'user.text', at: payload.at, text: 'hi' });
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

  it('refuses with 400 only a signed body that is not JSON or not an envelope at all', async () => {
    const before = (await t.database.db.select().from(unhandledAisensyDeliveries)).length;
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/webhooks/aisensy',
      headers: { 'content-type': 'application/json', 'x-aisensy-signature': signAisensy('{"id":') },
      payload: '{"id":',
    });
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().error, 'invalid_json');
    const noTopic = await postAisensy(t.app, { id: 'x', data: {} });
    assert.equal(noTopic.statusCode, 400);
    assert.equal(noTopic.json().error, 'invalid_request');
    assert.match(noTopic.json().message, /topic/);
    assert.equal((await t.database.db.select().from(unhandledAisensyDeliveries)).length, before);
  });

  it('answers 200 to a signed delivery it cannot read, keeps it raw, and hands a waiting user to a person', async () => {
    const noData = await postAisensy(t.app, { id: 'env-no-data', topic: 'message.sender.user' });
    assert.equal(noData.statusCode, 200, noData.body);
    assert.equal(noData.json().outcome, 'unrecognised');
    const badPhone = userTextEnvelope('+27821110003', 'hi');
    badPhone.data.message.phone_number = '12';
    assert.equal((await postAisensy(t.app, badPhone)).json().outcome, 'unrecognised');
    const unreadable = userTextEnvelope('+27821110008', 'hi');
    Object.assign(unreadable.data.message, { message_content: 'hi' });
    const answer = await postAisensy(t.app, unreadable);
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.json().outcome, 'unrecognised');

    const stored = await t.database.db.select().from(unhandledAisensyDeliveries);
    const byEnvelope = new Map(stored.map((row) => [row.envelopeId, row]));
    assert.deepEqual(openJson(byEnvelope.get('env-no-data')?.body, t.app.encryptionKeys), {
      id: 'env-no-data',
      topic: 'message.sender.user',
    });
    assert.equal(byEnvelope.get(badPhone.id)?.conversationId, null);
    const flagged = byEnvelope.get(unreadable.id)?.conversationId;
    assert.ok(flagged, 'the unreadable message from a known phone names its conversation');
    const [conversation] = await t.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, flagged));
    assert.match(conversation?.needsAgent ?? '', /could not read/);
    assert.equal(
      (await t.database.db.select().from(events).where(eq(events.conversationId, flagged))).length,
      0,
    );
  });

  it('keeps a status it does not know raw, and counts our own messages echoed by message.created without keeping them', async () => {
    const deleted = {
      id: 'env-status-deleted',
      topic: 'message.status.updated',
      data: { message: { messageId: 'wamid.x', phone_number: '27821110009', status: 'DELETED' } },
    };
    const answer = await postAisensy(t.app, deleted);
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.json().outcome, 'unknown_status');
    const ours = {
      id: 'env-echo-api',
      topic: 'message.created',
      data: {
        message: {
          messageId: 'wamid.ours',
          phone_number: '27821110009',
          sender: 'API',
          message_type: 'TEXT',
          message_content: { text: 'Welcome' },
        },
      },
    };
    assert.equal((await postAisensy(t.app, ours)).json().outcome, 'ignored');
    const stored = await t.database.db.select().from(unhandledAisensyDeliveries);
    assert.deepEqual(
      stored
        .filter((row) => row.envelopeId.startsWith('env-status') || row.envelopeId.startsWith('env-echo'))
        .map((row) => row.envelopeId),
      ['env-status-deleted'],
    );
    assert.equal(
      (await t.database.db.select().from(messages).where(eq(messages.providerMessageId, 'wamid.ours')))
        .length,
      0,
    );
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /aisensy_webhook_deliveries_total\{topic="message\.created",outcome="ignored"\} 1/);
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

  it('takes a user message from message.created too, once per wamid whichever topic brings it', async () => {
    const envelope = userTextEnvelope('+27821110011', 'hello');
    const created = { ...envelope, id: `${envelope.id}-created`, topic: 'message.created' };
    const answers = [await postAisensy(t.app, created), await postAisensy(t.app, envelope)];
    assert.deepEqual(
      answers.map((a) => a.json().outcome),
      ['applied', 'duplicate'],
    );
    assert.deepEqual(await eventWithoutTime(envelope), { type: 'user.text', at: undefined, text: 'hello' });
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
    assert.deepEqual(await eventWithoutTime(quick), {
      type: 'user.choice',
      at: undefined,
      id: 'company.yes',
      title: 'Yes, that is us',
    });
    assert.deepEqual(await eventWithoutTime(cloud), {
      type: 'user.choice',
      at: undefined,
      id: 'band.1',
      title: 'Under R1 million',
    });
  });

  it('reads a title-only tap that matches nothing offered as the title typed', async () => {
    const tap = userTextEnvelope('+27821110010', '');
    Object.assign(tap.data.message, { message_type: 'BUTTON_REPLY', message_content: { title: 'Yes' } });
    assert.equal((await postAisensy(t.app, tap)).statusCode, 200);
    assert.deepEqual(await eventWithoutTime(tap), { type: 'user.text', at: undefined, text: 'Yes' });
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
