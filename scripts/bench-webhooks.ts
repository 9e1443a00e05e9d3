import { randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { buildApp } from '../bot/build-app.js';
import { createEngine } from '../bot/engine/create-engine.js';
import { signAisensy, testConfig, userTextEnvelope } from '../bot/testing/build-test-app.js';
import { encryptionKeys } from '../config/encryption-key.js';
import { queryRows } from '../db/create-database.js';
import { events } from '../db/schema.js';
import { createTestDatabase } from '../db/test-database.js';
import { pacedLoad } from './paced-load.js';

/**
 * First paced at constant rates on the fresh database (the "sustained" figures: each rate held for
 * PACED_SECONDS), then closed loop at rising connection counts (the ceiling), each OPEN_SECONDS. In that
 * order because the closed-loop levels write hundreds of thousands of rows as fast as they can and leave
 * PostgreSQL checkpointing and vacuuming behind them, which a paced level run after them would measure.
 */
const LEVELS: { connections: number; rate?: number }[] = [
  { connections: 50, rate: 200 },
  { connections: 50, rate: 300 },
  { connections: 50, rate: 400 },
  { connections: 50, rate: 600 },
  { connections: 10 },
  { connections: 50 },
  { connections: 100 },
];
const PACED_SECONDS = 20;
const OPEN_SECONDS = 8;

interface Row {
  target: string;
  connections: number;
  rate?: number;
  engineRate?: number;
  requestsPerSecond: number;
  httpP50: number;
  httpP99: number;
  commitP50?: number;
  commitP99?: number;
  non2xx: number;
}

interface Load {
  requestsPerSecond: number;
  httpP50: number;
  httpP99: number;
  non2xx: number;
}

type Body = () => { payload: string; headers: Record<string, string> };

/** Closed loop: each connection sends its next request when the last is answered (autocannon). */
async function run(url: string, connections: number, body: Body): Promise<Load> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: OPEN_SECONDS,
    requests: [
      {
        setupRequest: (request: autocannon.Request) => {
          const { payload, headers } = body();
          return { ...request, body: payload, headers: { ...headers, 'content-type': 'application/json' } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    httpP50: result.latency.p50,
    httpP99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

/** Open loop at a constant arrival rate: the "sustained" figure. */
async function paced(url: string, connections: number, rate: number, body: Body): Promise<Load> {
  const started = performance.now();
  const result = await pacedLoad({ url, rate, seconds: PACED_SECONDS, connections, body });
  return {
    requestsPerSecond: result.sent / ((performance.now() - started) / 1000),
    httpP50: percentile(result.latencies, 50),
    httpP99: percentile(result.latencies, 99),
    non2xx: result.non2xx + result.errors,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN);
}

/**
 * Signed AiSensy webhooks (each a new user saying "hi") at rising concurrency: throughput, and p50/p99 from
 * arrival (the event's received_at) to the engine transaction that wrote the reply into the outbox; next to
 * a baseline route that only inserts one row, measured in the same run.
 */
export async function benchWebhooks(): Promise<void> {
  const database = await createTestDatabase();
  const engine = createEngine({
    db: database.db,
    logger: pino({ level: 'silent' }),
    serviceFeeCents: testConfig.serviceFeeCents,
    publicBaseUrl: testConfig.publicBaseUrl,
    encryptionKeys: encryptionKeys(testConfig),
    payTokenTtlMs: 3_600_000,
    pollIntervalMs: 50,
  });
  const app = await buildApp({
    config: testConfig,
    db: database.db,
    temporal: Connection.lazy({ address: '127.0.0.1:1' }),
    logger: false,
    engine,
    extraRoutes: async (bench) => {
      bench.post('/bench/baseline', { schema: { body: { type: 'object' } } }, async () => {
        await database.db.insert(events).values({
          dedupeKey: randomBytes(12).toString('hex'),
          type: 'bench',
          payload: {},
          status: 'processed',
        });
        return { ok: true };
      });
    },
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const drained = async () => {
    for (;;) {
      const [row] = await queryRows<{ n: string }>(
        database.db,
        sql`select count(*) as n from events where status = 'pending'`,
      );
      if (Number(row?.n) === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  engine.start();
  const rows: Row[] = [];
  let phone = 27_830_000_000;
  const signedHi = () => {
    phone++;
    const payload = JSON.stringify(userTextEnvelope(`+${phone}`, 'hi'));
    return { payload, headers: { 'x-aisensy-signature': signAisensy(payload) } };
  };
  // Warm up (connections opened, statements prepared, code compiled), as a running service is; not reported.
  await pacedLoad({
    url: `${base}/webhooks/aisensy`,
    rate: 100,
    seconds: 3,
    connections: 50,
    body: signedHi,
  });
  await drained();
  for (const { connections, rate } of LEVELS) {
    if (!rate) {
      const baseline = await run(`${base}/bench/baseline`, connections, () => ({
        payload: '{}',
        headers: {},
      }));
      rows.push({ target: 'baseline insert', connections, ...baseline });
    }
    const startedAt = new Date();
    const webhooks = rate
      ? await paced(`${base}/webhooks/aisensy`, connections, rate, signedHi)
      : await run(`${base}/webhooks/aisensy`, connections, signedHi);
    // Let the engine drain what was stored (however long a backlog takes), then read the figures from
    // the database: an event's processed_at is set by the statement that writes its replies into the
    // outbox, the last before that transaction commits.
    await drained();
    const [latency] = await queryRows<{ p50: number; p99: number; applied: string; seconds: number }>(
      database.db,
      sql`with applied as (
            select extract(epoch from processed_at - received_at) * 1000 as ms, received_at, processed_at
            from events
            where type = 'user.text' and status = 'processed' and received_at >= ${startedAt.toISOString()}::timestamptz)
          select percentile_cont(0.5) within group (order by ms) as p50,
                 percentile_cont(0.99) within group (order by ms) as p99,
                 count(*) as applied,
                 extract(epoch from max(processed_at) - min(received_at)) as seconds
          from applied`,
    );
    rows.push({
      target: 'AiSensy webhook → outbox',
      connections,
      rate,
      engineRate: Number(latency?.applied) / Number(latency?.seconds),
      requestsPerSecond: webhooks.requestsPerSecond,
      httpP50: webhooks.httpP50,
      httpP99: webhooks.httpP99,
      commitP50: Number(latency?.p50),
      commitP99: Number(latency?.p99),
      non2xx: webhooks.non2xx,
    });
  }
  await engine.stop();
  await app.close();
  await database.close();
  console.log(
    `\nWebhook benchmark (PostgreSQL; each message a new user saying "hi"; paced levels ${PACED_SECONDS} s, open ${OPEN_SECONDS} s)`,
  );
  console.table(
    rows.map((r) => ({
      target: r.target,
      connections: r.connections,
      'paced at /s': r.rate ?? 'closed loop',
      'req/s': Math.round(r.requestsPerSecond),
      'http p50 ms': r.httpP50,
      'http p99 ms': r.httpP99,
      'applied msg/s': r.engineRate === undefined ? '' : Math.round(r.engineRate),
      'arrival→outbox p50 ms': r.commitP50 === undefined ? '' : r.commitP50.toFixed(1),
      'arrival→outbox p99 ms': r.commitP99 === undefined ? '' : r.commitP99.toFixed(1),
      non2xx: r.non2xx,
    })),
  );
}
