import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import { queryRows } from '../../db/create-database.js';
import { ozowSandboxHash } from '../../sandbox/ozow/ozow-sandbox-hash.js';
import { signPairs } from '../../sandbox/payfast/sign-pairs.js';
import { logInAgent } from '../agent/testing/log-in-agent.js';
import { buildTestApp, signAisensy, testConfig } from '../testing/build-test-app.js';

/**
 * Property-based fuzzing of every route the app registers (collected with an onRoute hook, so a route
 * added later is covered without touching this file), on the real app and a real database: hostile paths,
 * query strings, headers and bodies of every content type. Whatever arrives, the service never answers
 * 5xx, and a request it refuses changes nothing: no row in any table, no outbox row (nothing goes out).
 *
 * `FUZZ_SEED=<n>` replays a run (the seed is printed when a property fails, with the shrunk request);
 * `FUZZ_RUNS=<n>` changes how many requests each property sends (default 300 and 200).
 */
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = Number(process.env.FUZZ_RUNS ?? 300);
console.log(`public-routes fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs}`);

interface Route {
  method: string;
  url: string;
  /** Property names of the route's body schema: bodies with the right names and wrong values. */
  bodyKeys: string[];
}

interface HostileRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** Percent-encodes every byte of the text's UTF-8 (a lone surrogate becomes U+FFFD's bytes). */
const percentEncoded = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

const nasty = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '\ufeff',
  '__proto__',
  'constructor',
  'prototype',
  '%00',
  '%',
  '%E0%A4%A',
  '%C0%80',
  '%FF%FE',
  '../../../../etc/passwd',
  "'; drop table orders; --",
  '<script>alert(1)</script>',
  '{{resultId}}',
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  '',
  ' ',
);
/** Random, so incompressible: longer than a unique index entry may be (about 2.7 kB). */
const longText = fc
  .uint8Array({ minLength: 2500, maxLength: 6000 })
  .map((bytes) => Buffer.from(bytes).toString('base64'));
const text = fc.oneof(
  nasty,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  longText,
);
const wrongValue = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 3 }),
  fc.dictionary(text, text, { maxKeys: 3 }),
);
const printable = fc.stringMatching(/^[\x20-\x7e]{0,120}$/);

/** A path segment: garbage already percent-encoded, or raw text encoded byte by byte. */
const segment = fc.oneof(
  fc.constantFrom(
    '%00',
    '%E0%A4%A',
    '%C0%80',
    '%FF',
    '%2e%2e%2f%2e%2e%2f',
    '..',
    'a'.repeat(3000),
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '00000000-0000-0000-0000-000000000000.pdf',
  ),
  text.map(percentEncoded),
  printable.map(encodeURIComponent),
);
const queryString = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?%00=%00',
    '?reason=%E0%A4%A',
    '?a[b][c]=1&a=2',
    '?__proto__[x]=1',
    `?q=${'x'.repeat(5000)}`,
  ),
  fc.dictionary(text, text, { maxKeys: 4 }).map((q) => {
    const pairs = Object.entries(q).map(([k, v]) => `${percentEncoded(k)}=${percentEncoded(v)}`);
    return `?${pairs.join('&')}`;
  }),
);

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset="bogus"',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=latin1',
  'text/plain',
  'text/plain; charset=utf-8',
  'multipart/form-data; boundary=fuzz',
  'multipart/form-data',
  'application/octet-stream',
  'application/xml',
  'application/json;;;',
  '*/*',
  'garbage',
);

function bodyFor(keys: string[]) {
  const shaped = fc
    .record(Object.fromEntries((keys.length > 0 ? keys : ['id', 'topic']).map((k) => [k, wrongValue])), {
      requiredKeys: [],
    })
    .map((value) => JSON.stringify(value));
  const deep = fc.integer({ min: 33, max: 3000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
  return fc.oneof(
    shaped,
    deep,
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '{"a":"\\u0000"}',
      '{"a":"\\ud800"}',
      '{"id":"x","topic":"message.sender.user","data":{"message":{"phone_number":"\\u0000"}}}',
      '{',
      '',
      'null',
      '[]',
      '"string"',
      '1e999999',
    ),
    fc.dictionary(text, text, { maxKeys: 6 }).map((fields) =>
      Object.entries(fields)
        .map(([k, v]) => `${percentEncoded(k)}=${percentEncoded(v)}`)
        .join('&'),
    ),
    fc.tuple(text, text).map(([k, v]) => `${k}=${v}`),
    fc
      .tuple(text, text)
      .map(
        ([name, value]) =>
          `--fuzz\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n--fuzz--\r\n`,
      ),
    fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ unit: 'binary', maxLength: 500 }),
    fc.constant(Buffer.alloc(2 * 1024 * 1024, 0x61)),
  );
}

const garbageHeaders = fc.record(
  {
    authorization: fc.oneof(
      printable,
      printable.map((t) => `Bearer ${t}`),
    ),
    'x-aisensy-signature': fc.oneof(printable, fc.stringMatching(/^[0-9a-f]{64}$/)),
    cookie: printable.map((t) => `agent_session=${t}; sessionId=${t}`),
    'x-csrf-token': printable,
    'x-forwarded-for': fc.constantFrom('197.97.145.145', '127.0.0.1, 41.74.179.193', 'garbage', ''),
    'x-request-id': printable,
    'accept-charset': printable,
    'x-big': fc.constant('a'.repeat(20_000)),
  },
  { requiredKeys: [] },
);

function fill(url: string, segments: string[]): string {
  let i = 0;
  return url.replace(/:[A-Za-z0-9_]+|\*/g, () => segments[i++ % segments.length] as string);
}

function hostileRequest(routes: Route[]): fc.Arbitrary<HostileRequest> {
  return fc
    .constantFrom(...routes)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        segments: fc.array(segment, { minLength: 3, maxLength: 3 }),
        query: queryString,
        type: contentType,
        body: fc.option(bodyFor(route.bodyKeys), { freq: 4 }),
        headers: garbageHeaders,
      }),
    )
    .map(({ route, segments, query, type, body, headers }) =>
      shownShort({
        method: route.method,
        url: `${fill(route.url, segments)}${query}`,
        headers: { ...headers, ...(type !== undefined && { 'content-type': type }) },
        ...(body !== null && !['GET', 'HEAD'].includes(route.method) && { payload: body }),
      }),
    );
}

/** A request that fast-check prints (as a counterexample) cut short, not with its megabyte body. */
function shownShort<T extends HostileRequest>(request: T): T {
  return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
}

/** Shown when a property fails: the request, with a megabyte body or header cut short. */
function describeRequest(request: HostileRequest) {
  const cut = (v: unknown) => {
    const s = Buffer.isBuffer(v) ? `<${v.length} bytes> ${v.subarray(0, 80).toString('hex')}` : String(v);
    return s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
  };
  return JSON.stringify({
    method: request.method,
    url: cut(request.url),
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, cut(v)])),
    payload: request.payload === undefined ? undefined : cut(request.payload),
  });
}

describe('every public route, fed hostile input', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  const routes: Route[] = [];
  /** Row counts and checksums of every table (but those named), in one query. */
  let fingerprint: (except?: string[]) => Promise<string>;

  before(async () => {
    t = await buildTestApp({
      onRoute: (route: RouteOptions) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        const body = route.schema?.body as { properties?: Record<string, unknown> } | undefined;
        for (const method of methods) {
          routes.push({
            method,
            url: route.url,
            bodyKeys: Object.keys(body?.properties ?? {}),
          });
        }
      },
    });
    await t.app.ready();
    const tables = await queryRows<{ name: string }>(
      t.database.db,
      sql`select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    );
    fingerprint = async (except = []) => {
      const parts = tables
        .filter(({ name }) => !except.includes(name))
        .map(
          ({ name }) =>
            `(select '${name}:' || count(*) || ':' || coalesce(md5(string_agg(x::text, ',' order by x::text)), '') from "${name}" x)`,
        );
      const query = sql.raw(`select concat_ws('|', ${parts.join(', ')}) as state`);
      return (await queryRows<{ state: string }>(t.database.db, query))[0]?.state ?? '';
    };
  });
  after(() => t.close());

  /**
   * Sends a request and reads its answer; a stream that is still open after a few seconds (the console's
   * server-sent events) is cut there, which is how a browser leaving looks to the server.
   */
  async function send(request: HostileRequest): Promise<{ statusCode: number; body: string }> {
    const leave = new AbortController();
    const response = await t.app.inject({ ...request, payloadAsStream: true, signal: leave.signal });
    const chunks: Buffer[] = [];
    const stream = response.stream();
    const timer = setTimeout(() => leave.abort(), 3_000);
    await new Promise<void>((done) => {
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('end', done);
      stream.once('close', done);
      stream.once('error', () => done());
    });
    clearTimeout(timer);
    return { statusCode: response.statusCode, body: Buffer.concat(chunks).toString('utf8') };
  }

  /** Health answers 503 when a service it checks is down (Temporal points nowhere here): its verdict, not a failure. */
  const healthVerdict = (request: HostileRequest, status: number, body: string) =>
    status === 503 &&
    request.url.startsWith('/api/v1/health') &&
    (request.method === 'HEAD' || /"status":"unhealthy"/.test(body));

  it('covers the routes it should (the list comes from the app)', () => {
    const names = new Set(routes.map((r) => `${r.method} ${r.url}`));
    for (const expected of [
      'POST /webhooks/aisensy',
      'POST /webhooks/typebot',
      'POST /webhooks/payfast',
      'POST /webhooks/ozow',
      'GET /pay/:token',
      'GET /pay/:token/payfast',
      'GET /pay/:token/ozow',
      'GET /api/v1/health',
      'GET /metrics',
      'GET /files/certificates/:file',
    ]) {
      assert.ok(names.has(expected), `${expected} is among ${[...names].join(', ')}`);
    }
  });

  it('never answers 5xx to unauthenticated garbage, and changes nothing', async () => {
    const baseline = await fingerprint();
    await fc.assert(
      fc.asyncProperty(hostileRequest(routes), async (request) => {
        const response = await send(request);
        await t.app.paymentChecks.settled();
        if (response.statusCode >= 500 && !healthVerdict(request, response.statusCode, response.body)) {
          assert.fail(
            `${response.statusCode} ${response.body.slice(0, 300)} for ${describeRequest(request)}`,
          );
        }
        const state = await fingerprint();
        assert.equal(
          state === baseline,
          true,
          `${response.statusCode} ${response.body.slice(0, 200)} changed the database for ${describeRequest(request)}`,
        );
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
  });

  describe('authenticated deliveries with hostile contents', () => {
    const { typebot, payfast, ozow } = testConfig;
    const aisensyDelivery = fc
      .record({
        id: fc.oneof(text, wrongValue),
        topic: fc.oneof(
          fc.constantFrom(
            'message.sender.user',
            'message.status.updated',
            'message.created',
            'contact.created',
          ),
          text,
        ),
        created_at: wrongValue,
        delivery_attempt: wrongValue,
        data: fc.oneof(
          wrongValue,
          fc.record({
            message: fc.record(
              {
                phone_number: fc.oneof(fc.constantFrom('27825550123', '+27 82 555 0123'), text),
                messageId: fc.oneof(text, wrongValue),
                id: wrongValue,
                sender: fc.oneof(fc.constantFrom('USER', 'AGENT', 'API'), text),
                status: fc.oneof(fc.constantFrom('sent', 'delivered', 'read', 'failed'), text),
                message_type: fc.oneof(
                  fc.constantFrom('TEXT', 'QUICK_REPLY', 'BUTTON_REPLY', 'LIST_REPLY'),
                  text,
                ),
                message_content: fc.oneof(
                  fc.record({ text, callbackPayload: wrongValue, title: wrongValue, id: wrongValue }),
                  wrongValue,
                ),
                sent_at: fc.oneof(fc.integer(), fc.double(), text),
                context: fc.oneof(fc.record({ id: wrongValue }), wrongValue),
                failureResponse: wrongValue,
              },
              { requiredKeys: [] },
            ),
          }),
        ),
      })
      .map((envelope) => {
        const raw = JSON.stringify(envelope);
        return shownShort({
          method: 'POST',
          url: '/webhooks/aisensy',
          headers: { 'content-type': 'application/json', 'x-aisensy-signature': signAisensy(raw) },
          payload: raw,
        });
      });
    const typebotIntake = fc
      .record(
        {
          resultId: wrongValue,
          name: wrongValue,
          phone: fc.oneof(fc.constant('+27825550124'), wrongValue),
          email: wrongValue,
          registrationNumber: fc.oneof(fc.constant('2019/123456/07'), wrongValue),
          consent: fc.oneof(fc.boolean(), wrongValue),
        },
        { requiredKeys: [] },
      )
      .map((intake) =>
        shownShort({
          method: 'POST',
          url: '/webhooks/typebot',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${typebot.webhookSecret}` },
          payload: JSON.stringify(intake),
        }),
      );
    const formField = fc.oneof(text, fc.constantFrom('COMPLETE', 'Complete', '799.00', 'AR-NOPE'));
    const payfastItn = fc
      .dictionary(
        fc.constantFrom(
          'm_payment_id',
          'pf_payment_id',
          'payment_status',
          'amount_gross',
          'merchant_id',
          'x',
        ),
        formField,
      )
      .map((fields) => {
        // What the sender would sign: text as UTF-8 encodes it (a lone surrogate cannot be sent).
        const pairs = Object.entries(fields).map(([k, v]): [string, string] => [
          k,
          Buffer.from(v).toString(),
        ]);
        const { parameterString, signature } = signPairs(pairs, payfast.passphrase);
        return shownShort({
          method: 'POST',
          url: '/webhooks/payfast',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `${parameterString}${parameterString ? '&' : ''}signature=${signature}`,
        });
      });
    const ozowNotification = fc
      .record(
        {
          SiteCode: fc.oneof(fc.constant(ozow.siteCode), formField),
          TransactionId: formField,
          TransactionReference: formField,
          Amount: formField,
          Status: formField,
          CurrencyCode: formField,
          IsTest: formField,
          StatusMessage: formField,
        },
        { requiredKeys: [] },
      )
      .map((partial) => {
        const order = ['SiteCode', 'TransactionId', 'TransactionReference', 'Amount', 'Status'];
        const rest = ['Optional1', 'Optional2', 'Optional3', 'Optional4', 'Optional5'];
        const fields: Record<string, string> = Object.fromEntries(
          Object.entries(partial).map(([k, v]) => [k, Buffer.from(v).toString()]),
        );
        const values = [...order, ...rest, 'CurrencyCode', 'IsTest', 'StatusMessage'].map(
          (k) => fields[k] ?? '',
        );
        fields.Hash = ozowSandboxHash(values, ozow.privateKey);
        return shownShort({
          method: 'POST',
          url: '/webhooks/ozow',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams(fields).toString(),
        });
      });

    it('never answers 5xx; what they refuse changes nothing; nothing goes out', async () => {
      const outboxRows = sql`select count(*)::int as n from outbox`;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(aisensyDelivery, typebotIntake, payfastItn, ozowNotification),
          async (request) => {
            const before = await fingerprint();
            const response = await send(request);
            await t.app.paymentChecks.settled();
            assert.ok(
              response.statusCode < 500,
              `${response.statusCode} ${response.body.slice(0, 300)} for ${describeRequest(request)}`,
            );
            if (response.statusCode >= 400) {
              assert.equal(
                (await fingerprint()) === before,
                true,
                `a ${response.statusCode} refusal changed the database: ${describeRequest(request)}`,
              );
            }
            const [outbox] = await queryRows<{ n: number }>(t.database.db, outboxRows);
            assert.equal(outbox?.n, 0, `an outbound message was queued by ${describeRequest(request)}`);
          },
        ),
        { seed, numRuns: Math.round((runs * 2) / 3), endOnFailure: true },
      );
    });
  });
  it('with an admin session: never 5xx on the agent routes, and what they refuse changes nothing', async () => {
    const admin = await logInAgent(t.app, t.database.db, { role: 'admin' });
    // Logging out would end the session the other requests need.
    const agentRoutes = routes.filter(
      (r) => /^\/(api\/v1\/)?agent(\/|$)/.test(r.url) && !r.url.endsWith('/logout'),
    );
    assert.ok(agentRoutes.length > 0, 'the agent routes are registered');
    // The session's own row is touched by every request it makes (its expiry rolls forward).
    const except = ['agent_sessions'];
    await fc.assert(
      fc.asyncProperty(hostileRequest(agentRoutes), async (garbage) => {
        const { cookie: _cookie, 'x-csrf-token': _csrf, ...headers } = garbage.headers;
        const request = shownShort({ ...garbage, headers: { ...headers, ...admin.headers } });
        const before = await fingerprint(except);
        const response = await send(request);
        assert.ok(
          response.statusCode < 500,
          `${response.statusCode} ${response.body.slice(0, 300)} for ${describeRequest(request)}`,
        );
        if (response.statusCode >= 400) {
          assert.equal(
            (await fingerprint(except)) === before,
            true,
            `a ${response.statusCode} refusal changed the database: ${describeRequest(request)}`,
          );
        }
      }),
      { seed, numRuns: Math.round(runs / 2), endOnFailure: true },
    );
  });
});
