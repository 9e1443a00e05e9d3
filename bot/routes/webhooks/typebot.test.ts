import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import pino from 'pino';
import { contacts, conversations, events, outbox } from '../../../db/schema.js';
import { createEngine } from '../../engine/create-engine.js';
import { buildTestApp, testConfig } from '../../testing/build-test-app.js';

const intake = (overrides: Record<string, unknown> = {}) => ({
  resultId: `result-${randomBytes(4).toString('hex')}`,
  name: 'Thandi Mokoena',
  phone: '082 555 0101',
  email: 'thandi@example.co.za',
  registrationNumber: 'K2019/123456/07',
  consent: true,
  ...overrides,
});

describe('POST /webhooks/typebot', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let engine: ReturnType<typeof createEngine>;
  before(async () => {
    let kick: (id: string) => Promise<void> = async () => {};
    t = await buildTestApp({ engine: { kick: (id) => kick(id) } });
    engine = createEngine({
      db: t.database.db,
      logger: pino({ level: 'silent' }),
      serviceFeeCents: testConfig.serviceFeeCents,
      publicBaseUrl: testConfig.publicBaseUrl,
      encryptionKeys: t.app.encryptionKeys,
      payTokenTtlMs: 3_600_000,
    });
    kick = engine.kick;
  });
  after(async () => {
    await engine.stop();
    await t.close();
  });

  const post = (body: unknown, token = testConfig.typebot.webhookSecret) =>
    t.app.inject({
      method: 'POST',
      url: '/webhooks/typebot',
      headers: { authorization: `Bearer ${token}` },
      payload: body as object,
    });

  it('creates the conversation at the lookup, answers with the WhatsApp link, and starts the lookup', async () => {
    const response = await post(intake());
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.match(body.message, /Thandi Mokoena/);
    assert.match(body.message, /2019\/123456\/07/);
    assert.equal(body.whatsappUrl, 'http://bot.test/sandbox/phone?phone=%2B27825550101');
    assert.equal(body.paymentUrl, undefined);
    const [contact] = await t.database.db.select().from(contacts).where(eq(contacts.phone, '+27825550101'));
    assert.equal(contact?.name, 'Thandi Mokoena');
    assert.ok(contact?.consentAt, 'consent recorded');
    const [conversation] = await t.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.contactId, contact?.id as string));
    const queued = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.conversationId, conversation?.id as string))
      .orderBy(asc(outbox.id));
    const lookup = queued.find((row) => row.kind === 'temporal.startLookup');
    assert.ok(lookup, 'a lookup is queued');
    assert.equal((lookup.payload as { registrationNumber: string }).registrationNumber, '2019/123456/07');
    assert.ok(
      queued.some((row) => row.kind === 'whatsapp.send'),
      'the chat continues on WhatsApp',
    );
  });

  it('accepts exactly the body the shipped Typebot flow posts, and answers the fields it maps', async () => {
    const flow = JSON.parse(
      readFileSync(new URL('../../typebot/cipc-agent-intake.typebot.json', import.meta.url), 'utf8'),
    );
    const block = flow.groups
      .flatMap((g: { blocks: { type: string }[] }) => g.blocks)
      .find((b: { type: string }) => b.type === 'Webhook');
    const values: Record<string, string> = {
      resultId: 'flow-result-1',
      name: 'Sipho Dlamini',
      phone: '+27825550109',
      email: 'sipho@example.co.za',
      registrationNumber: '2008/765432/23',
      consent: 'true',
    };
    const body = block.options.webhook.body.replace(
      /\{\{(\w+)\}\}/g,
      (_: string, name: string) => values[name] ?? '',
    );
    const response = await post(JSON.parse(body));
    assert.equal(response.statusCode, 200, response.body);
    const paths = block.options.responseVariableMapping.map((m: { bodyPath: string }) =>
      m.bodyPath.replace(/^data\./, ''),
    );
    assert.deepEqual(paths, ['message', 'whatsappUrl', 'paymentUrl']);
    assert.ok(paths.slice(0, 2).every((path: string) => typeof response.json()[path] === 'string'));
  });

  it('is idempotent per Typebot result', async () => {
    const body = intake({ phone: '+27825550102' });
    await post(body);
    await post(body);
    const stored = await t.database.db
      .select()
      .from(events)
      .where(eq(events.dedupeKey, `typebot:${body.resultId}`));
    assert.equal(stored.length, 1);
  });

  it('refuses a wrong or missing bearer token with 401 and stores nothing', async () => {
    const body = intake({ phone: '+27825550103' });
    assert.equal((await post(body, 'wrong')).statusCode, 401);
    const missing = await t.app.inject({ method: 'POST', url: '/webhooks/typebot', payload: body });
    assert.equal(missing.statusCode, 401);
    assert.equal(
      (await t.database.db.select().from(contacts).where(eq(contacts.phone, '+27825550103'))).length,
      0,
    );
  });

  it('names what is wrong with bad input, and keeps nothing without consent', async () => {
    const badNumber = await post(intake({ registrationNumber: '2019/123456/99' }));
    assert.equal(badNumber.statusCode, 400);
    assert.equal(badNumber.json().error, 'invalid_registration_number');
    assert.match(badNumber.json().message, /2019\/123456\/07/);
    const badPhone = await post(intake({ phone: 'not a phone' }));
    assert.equal(badPhone.json().error, 'invalid_phone');
    const missingField = await post({ name: 'x' });
    assert.equal(missingField.statusCode, 400);
    assert.equal(missingField.json().error, 'invalid_request');
    const noConsent = await post(intake({ phone: '+27825550104', consent: false }));
    assert.equal(noConsent.statusCode, 422);
    assert.equal(
      (await t.database.db.select().from(contacts).where(eq(contacts.phone, '+27825550104'))).length,
      0,
    );
  });
});
