import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { loggerOptions } from '../config/logging/logger-options.js';
import { seedUnpaidOrder } from './routes/pay/testing/seed-unpaid-order.js';
import { buildTestApp, postAisensy, userTextEnvelope } from './testing/build-test-app.js';

describe("the service's request log", () => {
  const chunks: string[] = [];
  let world: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    world = await buildTestApp({
      logger: { ...loggerOptions({ env: 'test', logLevel: 'info' }), stream },
    });
  });
  after(async () => world.close());
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('logs each request once, as method, masked URL, status and time with its request id, and no header, token or phone', async () => {
    const order = await seedUnpaidOrder(world.database.db);
    const response = await world.app.inject({
      method: 'GET',
      url: `/pay/${order.payToken}`,
      headers: { authorization: 'Bearer s3cret', cookie: 'session=abc', 'x-request-id': 'req-pay-1' },
    });
    assert.equal(response.statusCode, 200);
    await postAisensy(world.app, userTextEnvelope('+27821234567', 'my email is thandi@example.co.za'));
    const logged = lines();
    const requestLines = logged.filter((line) => line.req || line.res);
    assert.ok(requestLines.length >= 2);
    assert.deepEqual(
      requestLines.filter((line) => typeof line.reqId !== 'string'),
      [],
    );
    const payPage = logged.filter((line) => line.reqId === 'req-pay-1' && line.req);
    assert.equal(payPage.length, 1, 'one line per request');
    assert.deepEqual(payPage[0]?.req, { method: 'GET', url: '/pay/[token]' });
    assert.deepEqual(payPage[0]?.res, { statusCode: 200 });
    assert.equal(typeof payPage[0]?.responseTime, 'number');
    const written = chunks.join('');
    for (const secret of [order.payToken, 's3cret', 'session=abc', '27821234567', 'thandi@example.co.za']) {
      assert.ok(!written.includes(secret), `the log holds ${secret}`);
    }
  });

  it('keeps health probes and metric scrapes out of the info log', async () => {
    await world.app.inject({ method: 'GET', url: '/metrics', headers: { 'x-request-id': 'req-scrape-1' } });
    assert.deepEqual(
      lines().filter((line) => line.reqId === 'req-scrape-1'),
      [],
    );
  });
});
