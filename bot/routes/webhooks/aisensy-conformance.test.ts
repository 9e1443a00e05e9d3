import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { contacts, conversations, events, messages, unhandledAisensyDeliveries } from '../../../db/schema.js';
import { isSealed, openJson, sealJson } from '../../../db/seal-json.js';
import type { OutboundMessage } from '../../../flows/conversation/conversation-command.js';
import { findOrCreateConversation } from '../../engine/find-or-create-conversation.js';
import { buildTestApp, postAisensy } from '../../testing/build-test-app.js';

interface Fixture {
  id: string;
  topic: string;
  data: { message: { messageId: string; phone_number: string; sent_at: number; context: { id: string } } };
}

/** A delivery from `bot/aisensy/fixtures/inbound` (see its README for the source of each), exactly as kept. */
function fixture(name: string): Fixture {
  return JSON.parse(
    readFileSync(new URL(`../../aisensy/fixtures/inbound/${name}.json`, import.meta.url), 'utf8'),
  );
}

const buttons = (...choices: [id: string, title: string][]): OutboundMessage => ({
  kind: 'buttons',
  text: 'Which one?',
  buttons: choices.map(([id, title]) => ({ id, title })),
});

describe('AiSensy webhook conformance: captured-shape deliveries through the route', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const db = () => t.database.db;
  const eventOf = async (f: Fixture) =>
    (
      await db()
        .select()
        .from(events)
        .where(eq(events.dedupeKey, `wa:${f.data.message.messageId}`))
    )[0];
  /** A fixture's stored event without its time (which the text test checks). */
  const tapOf = async (f: Fixture) => {
    const stored = await eventOf(f);
    assert.ok(stored, `an event for ${f.id}`);
    const { at: _at, ...event } = openJson<{ at: string }>(stored.payload, t.app.encryptionKeys);
    return event;
  };
  const conversationOf = async (digits: string) => {
    const [row] = await db()
      .select({ conversation: conversations })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(contacts.phone, `+${digits}`));
    return row?.conversation;
  };
  /** A message the bot sent to that phone earlier, as the engine and dispatcher leave it on the transcript. */
  const sent = (digits: string, wamid: string, body: OutboundMessage) =>
    db().transaction(async (tx) => {
      const { conversationId } = await findOrCreateConversation(tx, `+${digits}`);
      await tx.insert(messages).values({
        conversationId,
        direction: 'out',
        author: 'bot',
        kind: body.kind,
        body: sealJson(body, t.app.encryptionKeys),
        status: 'sent',
        providerMessageId: wamid,
      });
    });

  it('stores a text message (nulls, ISO created_at, string delivery_attempt) as a user.text event at sent_at', async () => {
    const text = fixture('user-text');
    const response = await postAisensy(t.app, text);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().outcome, 'applied');
    const at = new Date(text.data.message.sent_at).toISOString();
    const stored = await eventOf(text);
    assert.ok(isSealed(stored?.payload), 'what the user typed is stored sealed');
    assert.deepEqual(openJson(stored?.payload, t.app.encryptionKeys), { type: 'user.text', at, text: 'hi' });
    const conversation = await conversationOf(text.data.message.phone_number);
    assert.equal(conversation?.lastInboundAt?.toISOString(), at);
    const transcript = await db()
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, text.data.message.messageId));
    assert.deepEqual(
      transcript.map((m) => [m.direction, m.author, m.status]),
      [['in', 'user', 'received']],
    );
  });

  it('reads a QUICK_REPLY as the choice its callbackPayload names', async () => {
    const quick = fixture('user-quick-reply');
    assert.equal((await postAisensy(t.app, quick)).statusCode, 200);
    assert.deepEqual(await tapOf(quick), {
      type: 'user.choice',
      id: 'reminder.fileNow',
      title: 'File now',
    });
  });

  it('matches a BUTTON_REPLY carrying only its title to the buttons last sent to that chat', async () => {
    const tap = fixture('user-button-reply-title-only');
    const phone = tap.data.message.phone_number;
    await sent(phone, 'wamid.older-question', buttons(['reminder.yes', 'Yes'], ['reminder.no', 'No thanks']));
    await sent(
      phone,
      'wamid.company-question',
      buttons(['company.yes', 'Yes'], ['company.no', 'No, another number']),
    );
    const response = await postAisensy(t.app, tap);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(await tapOf(tap), {
      type: 'user.choice',
      id: 'company.yes',
      title: 'Yes',
    });
  });

  it('matches a LIST_REPLY to the rows of the list its context names, even when buttons came after', async () => {
    const tap = fixture('user-list-reply');
    const phone = tap.data.message.phone_number;
    await sent(phone, tap.data.message.context.id, {
      kind: 'list',
      text: 'What was the turnover in 2025?',
      button: 'Choose turnover',
      rows: [
        { id: 'company-under-1m', title: 'Under R1 million' },
        { id: 'company-1m-to-10m', title: 'R1m to under R10m' },
      ],
    });
    await sent(phone, 'wamid.later-buttons', buttons(['menu.continue', 'Continue']));
    assert.equal((await postAisensy(t.app, tap)).statusCode, 200);
    assert.deepEqual(await tapOf(tap), {
      type: 'user.choice',
      id: 'company-under-1m',
      title: 'Under R1 million',
    });
  });

  it('moves a sent message through sent, delivered and read, and records a failure with its code', async () => {
    const read = fixture('status-read');
    const failed = fixture('status-failed');
    const phone = read.data.message.phone_number;
    const welcome: OutboundMessage = { kind: 'text', text: 'Welcome' };
    await sent(phone, read.data.message.messageId, welcome);
    await sent(phone, failed.data.message.messageId, welcome);
    await db()
      .update(messages)
      .set({ status: 'queued' })
      .where(eq(messages.providerMessageId, read.data.message.messageId));
    const statusOf = async (wamid: string) =>
      (await db().select().from(messages).where(eq(messages.providerMessageId, wamid)))[0];

    for (const [name, expected] of [
      ['status-sent', 'sent'],
      ['status-delivered', 'delivered'],
      ['status-read', 'read'],
    ] as const) {
      const response = await postAisensy(t.app, fixture(name));
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().outcome, 'applied', name);
      assert.equal((await statusOf(read.data.message.messageId))?.status, expected);
    }
    assert.equal((await postAisensy(t.app, failed)).statusCode, 200);
    const failure = await statusOf(failed.data.message.messageId);
    assert.deepEqual([failure?.status, failure?.statusReason], ['failed', '131047']);
  });

  it('mutes the bot in a chat an agent wrote in from AiSensy', async () => {
    const echo = fixture('agent-echo');
    assert.equal((await postAisensy(t.app, echo)).statusCode, 200);
    const conversation = await conversationOf(echo.data.message.phone_number);
    assert.equal(conversation?.owner, 'agent');
    const [row] = await db()
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, echo.data.message.messageId));
    assert.deepEqual([row?.direction, row?.author], ['out', 'agent']);
  });

  it('answers a contact.* delivery 200, keeps it raw once and counts it, changing no conversation', async () => {
    const contact = fixture('contact-created');
    const eventsBefore = (await db().select().from(events)).length;
    const first = await postAisensy(t.app, contact);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().outcome, 'unhandled_topic');
    const retry = await postAisensy(t.app, { ...contact, delivery_attempt: '2' });
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.json().outcome, 'duplicate');
    const stored = await db()
      .select()
      .from(unhandledAisensyDeliveries)
      .where(eq(unhandledAisensyDeliveries.envelopeId, contact.id));
    assert.equal(stored.length, 1);
    assert.deepEqual(openJson(stored[0]?.body, t.app.encryptionKeys), contact);
    assert.equal(stored[0]?.topic, 'contact.created');
    assert.equal(stored[0]?.conversationId, null);
    assert.equal((await db().select().from(events)).length, eventsBefore);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(
      metrics,
      /aisensy_webhook_deliveries_total\{topic="contact\.created",outcome="unhandled_topic"\} 1/,
    );
  });
});
