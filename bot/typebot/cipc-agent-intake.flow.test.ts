import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { contacts } from '../../db/schema.js';
import { createEngine } from '../engine/create-engine.js';
import { buildTestApp, testConfig } from '../testing/build-test-app.js';
import { runTypebotFlow, type TypebotFlow } from './run-typebot-flow.js';

/** The exported flow after the two edits the README asks for once it is imported. */
function importedFlow(serviceUrl: string, secret: string | undefined): TypebotFlow {
  let text = readFileSync(new URL('./cipc-agent-intake.typebot.json', import.meta.url), 'utf8');
  text = text.replaceAll('https://YOUR-SERVICE', serviceUrl);
  if (secret) text = text.replaceAll('YOUR_TYPEBOT_WEBHOOK_SECRET', secret);
  return JSON.parse(text);
}

const owner = (phone: string, registrationNumber: string, consent = 'I agree') => [
  'Sipho Dlamini',
  phone,
  'sipho@example.co.za',
  registrationNumber,
  consent,
];

describe('the exported Typebot flow, played as Typebot plays it, against the service', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let engine: ReturnType<typeof createEngine>;
  let serviceUrl: string;
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
    serviceUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await engine.stop();
    await t.close();
  });

  const contactsWith = (phone: string) =>
    t.database.db.select().from(contacts).where(eq(contacts.phone, phone));
  const resultId = () => `result-${randomBytes(4).toString('hex')}`;

  it('posts the answers with a bare boolean consent and shows the service’s message and WhatsApp link', async () => {
    const id = resultId();
    const run = await runTypebotFlow(importedFlow(serviceUrl, testConfig.typebot.webhookSecret), {
      answers: owner('+27825550111', '2008/765432/23'),
      resultId: id,
    });
    assert.equal(run.requests.length, 1);
    const [{ request, response }] = run.requests as [(typeof run.requests)[number]];
    assert.equal(request.url, `${serviceUrl}/webhooks/typebot`);
    assert.equal(request.method, 'POST');
    assert.equal(request.headers.Authorization, `Bearer ${testConfig.typebot.webhookSecret}`);
    assert.deepEqual(request.body, {
      resultId: id,
      name: 'Sipho Dlamini',
      phone: '+27825550111',
      email: 'sipho@example.co.za',
      registrationNumber: '2008/765432/23',
      consent: true,
    });
    assert.equal(response.statusCode, 200, JSON.stringify(response.data));
    const answer = response.data as { message: string; whatsappUrl: string };
    assert.match(answer.message, /Sipho Dlamini.*2008\/765432\/23/);
    assert.deepEqual(run.shown.slice(-2), [
      answer.message,
      'Carry on in WhatsApp: http://bot.test/sandbox/phone?phone=%2B27825550111',
    ]);
    assert.ok(!run.shown.some((text) => text.includes('pay')), 'no payment link without an open order');
    assert.equal(run.waitingAt, undefined, 'the conversation carries on in WhatsApp, not here');
    assert.equal((await contactsWith('+27825550111')).length, 1);
  });

  it('shows the service’s 401 reason when the secret was never filled in, and offers to try again', async () => {
    const run = await runTypebotFlow(importedFlow(serviceUrl, undefined), {
      answers: owner('+27825550112', '2008/765432/23'),
      resultId: resultId(),
    });
    const [{ request, response }] = run.requests as [(typeof run.requests)[number]];
    assert.equal(request.headers.Authorization, 'Bearer YOUR_TYPEBOT_WEBHOOK_SECRET');
    assert.equal(response.statusCode, 401);
    assert.deepEqual(response.data, {
      error: 'unauthorized',
      message: 'Authorization must be "Bearer <TYPEBOT_WEBHOOK_SECRET>"',
    });
    assert.equal(run.shown.at(-1), 'Authorization must be "Bearer <TYPEBOT_WEBHOOK_SECRET>"');
    assert.ok(!run.shown.some((text) => text.startsWith('Carry on in WhatsApp')));
    assert.equal(run.waitingAt, 'bl-retry');
    assert.equal((await contactsWith('+27825550112')).length, 0);
  });

  it('shows the service’s 400 reasons, and a corrected second try goes through', async () => {
    const id = resultId();
    const run = await runTypebotFlow(importedFlow(serviceUrl, testConfig.typebot.webhookSecret), {
      answers: [
        ...owner('+27825550113', '2019/123456/99'),
        'Try again',
        ...owner('+27825550113', `${'x'.repeat(41)}`),
        'Try again',
        ...owner('+27825550113', '2019/123456/07'),
      ],
      resultId: id,
    });
    const [badNumber, malformed, corrected] = run.requests as [
      (typeof run.requests)[number],
      (typeof run.requests)[number],
      (typeof run.requests)[number],
    ];
    const reason = (r: typeof badNumber) => r.response.data as { error: string; message: string };
    assert.equal(badNumber.response.statusCode, 400);
    assert.equal(reason(badNumber).error, 'invalid_registration_number');
    assert.match(reason(badNumber).message, /2019\/123456\/07/, 'says what the number should look like');
    assert.equal(malformed.response.statusCode, 400);
    assert.equal(reason(malformed).error, 'invalid_request');
    assert.match(reason(malformed).message, /registrationNumber/, 'names the field');
    assert.equal(corrected.response.statusCode, 200, JSON.stringify(corrected.response.data));
    assert.equal(corrected.request.body && (corrected.request.body as { resultId: string }).resultId, id);
    const shownAfter = (text: string) => run.shown[run.shown.indexOf(text) + 1];
    assert.ok(run.shown.includes(reason(badNumber).message), 'the visitor sees why the number was refused');
    assert.ok(run.shown.includes(reason(malformed).message), 'the visitor sees which field was refused');
    assert.equal(shownAfter(reason(badNumber).message), 'What is your name?', 'and is asked again');
    assert.deepEqual(run.shown.slice(-2), [
      (corrected.response.data as { message: string }).message,
      'Carry on in WhatsApp: http://bot.test/sandbox/phone?phone=%2B27825550113',
    ]);
    assert.equal(run.waitingAt, undefined);
  });

  it('posts consent as a bare false when the owner says no, and shows the 422 reason; nothing is kept', async () => {
    const run = await runTypebotFlow(importedFlow(serviceUrl, testConfig.typebot.webhookSecret), {
      answers: owner('+27825550114', '2008/765432/23', 'No'),
      resultId: resultId(),
    });
    const [{ request, response }] = run.requests as [(typeof run.requests)[number]];
    assert.equal((request.body as { consent: unknown }).consent, false);
    assert.equal(response.statusCode, 422);
    const { error, message } = response.data as { error: string; message: string };
    assert.equal(error, 'consent_required');
    assert.equal(run.shown.at(-1), message);
    assert.equal(run.waitingAt, 'bl-retry');
    assert.equal((await contactsWith('+27825550114')).length, 0);
  });

  it('says the service could not be reached when nothing answers, and offers to try again', async () => {
    const closed = createServer();
    await new Promise<void>((listening) => closed.listen(0, '127.0.0.1', listening));
    const { port } = closed.address() as { port: number };
    await new Promise((done) => closed.close(done));
    const run = await runTypebotFlow(
      importedFlow(`http://127.0.0.1:${port}`, testConfig.typebot.webhookSecret),
      {
        answers: owner('+27825550115', '2008/765432/23'),
        resultId: resultId(),
      },
    );
    assert.equal(run.requests[0]?.response.statusCode, 500);
    assert.equal(run.shown.at(-1), 'We could not reach CIPC Agent just now.');
    assert.equal(run.waitingAt, 'bl-retry');
  });
});
