import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { events, messages, paymentNotifications, unhandledAisensyDeliveries } from '../../db/schema.js';
import { buildTestApp, signAisensy, testConfig } from '../testing/build-test-app.js';

/**
 * Inputs that once answered 500 (each found by `public-routes.fuzz.test.ts` or by hand), now refused
 * with a 4xx naming the problem and changing nothing — or, for a signed AiSensy delivery, stored and
 * answered 200 as AiSensy's protocol wants.
 */
describe('hostile input on the public routes', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const form = 'application/x-www-form-urlencoded';
  const post = (url: string, contentType: string, payload: string | Buffer, headers = {}) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': contentType, ...headers }, payload });
  const postSigned = (raw: string) =>
    post('/webhooks/aisensy', 'application/json', raw, { 'x-aisensy-signature': signAisensy(raw) });
  const postTypebot = (raw: string) =>
    post('/webhooks/typebot', 'application/json', raw, {
      authorization: `Bearer ${testConfig.typebot.webhookSecret}`,
    });
  const notificationCount = async () => (await t.database.db.select().from(paymentNotifications)).length;

  for (const url of ['/webhooks/payfast', '/webhooks/ozow']) {
    it(`${url}: refuses a body with a NUL byte with 400 naming it, storing nothing`, async () => {
      const response = await post(url, form, 'm_payment_id=AR-1\u0000&amount_gross=1.00');
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().error, 'nul_byte');
      assert.match(response.json().message, /NUL/);
      assert.equal(await notificationCount(), 0);
    });

    it(`${url}: refuses a percent-encoded NUL in a field with 400 naming the field`, async () => {
      const response = await post(url, form, 'm_payment_id=AR-1%00&Status=Complete');
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().error, 'nul_byte');
      assert.match(response.json().message, /m_payment_id/);
      assert.equal(await notificationCount(), 0);
    });

    it(`${url}: refuses a body that is not UTF-8 with 400`, async () => {
      const response = await post(url, form, Buffer.from([0x61, 0x3d, 0xff, 0xfe]));
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().error, 'invalid_utf8');
      assert.equal(await notificationCount(), 0);
    });

    it(`${url}: refuses JSON (or any type but a form) with 415 naming the type`, async () => {
      for (const type of ['application/json', 'text/plain', 'application/octet-stream']) {
        const response = await post(url, type, '{"amount_gross":1}');
        assert.equal(response.statusCode, 415, `${type}: ${response.body}`);
        assert.equal(response.json().error, 'unsupported_media_type');
        assert.match(response.json().message, new RegExp(type.replace('/', '\\/')));
      }
      assert.equal(await notificationCount(), 0);
    });
  }

  it('/webhooks/typebot: refuses a NUL character in a field with 400 naming the field', async () => {
    const response = await postTypebot(
      JSON.stringify({
        resultId: 'r-nul',
        name: 'Thandi\u0000',
        phone: '+27825550101',
        registrationNumber: '2019/123456/07',
        consent: true,
      }),
    );
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().error, 'nul_character');
    assert.match(response.json().message, /name/);
    assert.equal((await t.database.db.select().from(events)).length, 0);
  });

  it('/webhooks/typebot: refuses an unpaired surrogate with 400 naming the field', async () => {
    const response = await postTypebot(
      '{"resultId":"r-sur","name":"Thandi \\ud800","phone":"+27825550101","registrationNumber":"2019/123456/07","consent":true}',
    );
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().error, 'invalid_unicode');
    assert.match(response.json().message, /name/);
    assert.equal((await t.database.db.select().from(events)).length, 0);
  });

  it('/webhooks/typebot: refuses JSON nested deeper than the limit, and a __proto__ key, with 400', async () => {
    const deep = await postTypebot(`${'['.repeat(1_000)}${']'.repeat(1_000)}`);
    assert.equal(deep.statusCode, 400, deep.body);
    assert.equal(deep.json().error, 'too_deeply_nested');
    const proto = await postTypebot('{"__proto__":{"consent":true},"resultId":"r"}');
    assert.equal(proto.statusCode, 400, proto.body);
    assert.equal(proto.json().error, 'forbidden_property');
  });

  it('/webhooks/typebot: refuses a number where a string belongs, and a string where a boolean does', async () => {
    const intake = {
      resultId: 'r-typed',
      name: 'Thandi',
      phone: '+27825550101',
      registrationNumber: '2019/123456/07',
      consent: true,
    };
    for (const [field, value] of [
      ['name', 123],
      ['phone', 27825550101],
      ['consent', 'true'],
    ] as const) {
      const response = await postTypebot(JSON.stringify({ ...intake, [field]: value }));
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.equal(response.json().error, 'invalid_request');
      assert.match(response.json().message, new RegExp(field));
    }
    assert.equal((await t.database.db.select().from(events)).length, 0);
  });

  for (const path of ['', '/payfast', '/ozow', '/return', '/cancelled']) {
    it(`GET /pay/%00${path}: 400 naming the token, not 500`, async () => {
      const response = await t.app.inject({ method: 'GET', url: `/pay/%00${path}` });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().error, 'nul_character');
      assert.match(response.json().message, /path parameter "token"/);
    });

    it(`GET /pay/<not a token>${path}: the "link not found" page`, async () => {
      const response = await t.app.inject({ method: 'GET', url: `/pay/..%2F..%2Fetc%2Fpasswd${path}` });
      assert.equal(response.statusCode, 404, response.body);
      assert.match(response.body, /Payment link not found/);
    });
  }

  it('refuses a NUL in any query string with 400 naming the parameter', async () => {
    for (const url of ['/pay/abc/cancelled?reason=%00', '/api/v1/health?x%00=1', '/metrics?a=b&a=%00']) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.equal(response.json().error, 'nul_character');
      assert.match(response.json().message, /query parameter/);
    }
  });

  it('GET /pay/%E0%A4%A (broken percent-encoding): 400 naming the bad URL', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/pay/%E0%A4%A' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error, 'invalid_url');
  });

  describe('over a real socket (what HTTP parsing refuses before any route)', () => {
    let port: number;
    before(async () => {
      port = Number(new URL(await t.app.listen({ host: '127.0.0.1', port: 0 })).port);
    });
    /** Sends the bytes as they are and reads the whole answer (the server closes the connection). */
    const send = (bytes: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
        let answer = '';
        socket.on('data', (chunk) => {
          answer += chunk.toString('latin1');
        });
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    const request = (...parts: (string | number[])[]) =>
      send(
        Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))),
      );

    it('answers 431 to headers over 16 KiB', async () => {
      const answer = await request(
        `POST /webhooks/payfast HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
      );
      assert.match(answer, /^HTTP\/1\.1 431 /);
    });

    it('answers 400 to raw NUL and non-UTF-8 bytes in the path or a header, and to a smuggling attempt', async () => {
      const close = 'Host: x\r\nConnection: close\r\n\r\n';
      for (const answer of [
        await request('GET /pay/', [0, 0xff, 0xfe], ` HTTP/1.1\r\n${close}`),
        await request('GET /pay/abc HTTP/1.1\r\nX-A: a', [0], `b\r\n${close}`),
        await request(
          'POST /webhooks/payfast HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n',
          `Content-Length: 5\r\nTransfer-Encoding: chunked\r\n${close}abcde`,
        ),
      ]) {
        assert.match(answer, /^HTTP\/1\.1 400 /);
      }
      assert.equal(await notificationCount(), 0);
    });
  });

  describe('/webhooks/aisensy, signed deliveries carrying what PostgreSQL cannot keep', () => {
    const message = (overrides: Record<string, unknown>) => ({
      phone_number: '27825550199',
      sender: 'USER',
      message_type: 'TEXT',
      message_content: { text: 'hi\u0000there' },
      sent_at: Date.now(),
      ...overrides,
    });

    it('stores a user message with a NUL (U+0000 kept as U+FFFD) and answers 200', async () => {
      const raw = JSON.stringify({
        id: 'env-nul-1',
        topic: 'message.sender.user',
        data: { message: message({ messageId: 'wamid.nul\u00001' }) },
      });
      const response = await postSigned(raw);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().outcome, 'applied');
      const [event] = await t.database.db
        .select()
        .from(events)
        .where(eq(events.dedupeKey, 'wa:wamid.nul\uFFFD1'));
      assert.equal(event?.type, 'user.text');
      const [transcript] = await t.database.db
        .select()
        .from(messages)
        .where(eq(messages.providerMessageId, 'wamid.nul\uFFFD1'));
      assert.ok(transcript, 'the message is on the transcript');
    });

    it('stores an unhandled delivery whose id has a NUL and an unpaired surrogate, and answers 200', async () => {
      const raw = '{"id":"env-nul\\u0000-2","topic":"contact.created","data":{"name":"\\ud83d"}}';
      const response = await postSigned(raw);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().outcome, 'unhandled_topic');
      const [row] = await t.database.db
        .select()
        .from(unhandledAisensyDeliveries)
        .where(eq(unhandledAisensyDeliveries.envelopeId, 'env-nul\uFFFD-2'));
      assert.equal(row?.topic, 'contact.created');
    });

    it('answers 200 to a status update and an agent echo naming a wamid with a NUL', async () => {
      for (const [topic, extra] of [
        ['message.status.updated', { status: 'read' }],
        ['message.created', { sender: 'AGENT' }],
      ] as const) {
        const raw = JSON.stringify({
          id: `env-${topic}`,
          topic,
          data: { message: message({ messageId: 'wamid.\u0000', ...extra }) },
        });
        const response = await postSigned(raw);
        assert.equal(response.statusCode, 200, `${topic}: ${response.body}`);
      }
    });

    it('keeps a message whose id is too long to index raw (200), and refuses such an envelope id (400)', async () => {
      // Random, so PostgreSQL cannot compress it under the 2.7 kB a unique index entry may take.
      const long = randomBytes(6000).toString('base64');
      for (const [topic, extra] of [
        ['message.sender.user', {}],
        ['message.created', { sender: 'AGENT' }],
      ] as const) {
        const raw = JSON.stringify({
          id: `env-long-${topic}`,
          topic,
          data: { message: message({ messageId: long, ...extra }) },
        });
        const response = await postSigned(raw);
        assert.equal(response.statusCode, 200, `${topic}: ${response.body}`);
        assert.equal(response.json().outcome, 'unrecognised');
      }
      const envelope = await postSigned(JSON.stringify({ id: long, topic: 'contact.created', data: {} }));
      assert.equal(envelope.statusCode, 400, envelope.body);
      assert.match(envelope.json().message, /id/);
    });

    it('refuses a signed body nested deeper than the limit with 400', async () => {
      const raw = `{"id":"env-deep","topic":"contact.x","data":${'['.repeat(1_000)}${']'.repeat(1_000)}}`;
      const response = await postSigned(raw);
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().error, 'too_deeply_nested');
      assert.equal(
        (
          await t.database.db
            .select()
            .from(unhandledAisensyDeliveries)
            .where(eq(unhandledAisensyDeliveries.envelopeId, 'env-deep'))
        ).length,
        0,
      );
    });
  });
});
