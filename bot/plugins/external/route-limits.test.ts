import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, signAisensy, testConfig } from '../../testing/build-test-app.js';
import { ROUTE_LIMITS } from './route-limits.js';

const KiB = 1024;

async function appWith(rateLimits: boolean, routes: string[] = []) {
  return buildTestApp({
    config: { ...testConfig, rateLimits },
    onRoute: (route) => {
      for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
    },
  });
}

describe('route limits', () => {
  let world: Awaited<ReturnType<typeof buildTestApp>>;
  const routes: string[] = [];
  before(async () => {
    world = await appWith(true, routes);
  });
  after(async () => world.close());
  const app = (): FastifyInstance => world.app;

  it('limits every webhook and pay page route there is (a new one must be added to ROUTE_LIMITS)', () => {
    const publicRoutes = routes.filter((route) => /^(GET|POST) \/(webhooks|pay)\//.test(route));
    assert.ok(publicRoutes.length >= 9, publicRoutes.join(', '));
    assert.deepEqual(
      publicRoutes.filter((route) => !(route in ROUTE_LIMITS)),
      [],
    );
  });

  it('answers 429 with Retry-After and a JSON body naming when to retry once a pay link is opened too often', async () => {
    const open = () =>
      app().inject({ method: 'GET', url: '/pay/not-a-token', remoteAddress: '198.51.100.7' });
    const allowed = ROUTE_LIMITS['GET /pay/:token']?.perMinute ?? 0;
    for (let i = 0; i < allowed; i++) assert.equal((await open()).statusCode, 404);
    const refused = await open();
    assert.equal(refused.statusCode, 429);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${refused.headers['retry-after']}`);
    const body = refused.json() as { error: string; message: string };
    assert.equal(body.error, 'rate_limited');
    assert.match(body.message, new RegExp(`at most ${allowed} a minute; try again in ${retryAfter} s`));
    // Another address has a budget of its own.
    const other = await app().inject({
      method: 'GET',
      url: '/pay/not-a-token',
      remoteAddress: '198.51.100.8',
    });
    assert.equal(other.statusCode, 404);
  });

  it('gives webhooks a generous limit and leaves health and metrics unlimited', async () => {
    const webhook = await app().inject({
      method: 'POST',
      url: '/webhooks/aisensy',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(webhook.headers['x-ratelimit-limit'], '1200');
    for (const url of ['/api/v1/health', '/metrics']) {
      const response = await app().inject({ method: 'GET', url });
      assert.equal(response.headers['x-ratelimit-limit'], undefined, url);
    }
  });

  const oversize = [
    { url: '/webhooks/aisensy', type: 'application/json', limit: 64 * KiB },
    { url: '/webhooks/typebot', type: 'application/json', limit: 16 * KiB },
    { url: '/webhooks/payfast', type: 'application/x-www-form-urlencoded', limit: 16 * KiB },
    { url: '/webhooks/ozow', type: 'application/x-www-form-urlencoded', limit: 16 * KiB },
  ];
  for (const { url, type, limit } of oversize) {
    it(`refuses a body over ${limit / KiB} KiB on ${url} with 413 and {error, message}, and takes one under it`, async () => {
      const body = (size: number) =>
        type === 'application/json'
          ? JSON.stringify({ padding: 'x'.repeat(size - 14) })
          : `padding=${'x'.repeat(size - 8)}`;
      // Signed as the provider would, so the size is what decides.
      const post = (payload: string) =>
        app().inject({
          method: 'POST',
          url,
          headers: {
            'content-type': type,
            'x-aisensy-signature': signAisensy(payload),
            authorization: `Bearer ${testConfig.typebot.webhookSecret}`,
          },
          payload,
        });
      const tooLarge = await post(body(limit + 1));
      assert.equal(tooLarge.statusCode, 413);
      const answer = tooLarge.json() as { error: string; message: string };
      assert.equal(typeof answer.error, 'string');
      assert.match(answer.message, /body/i);
      const fits = await post(body(limit - 64));
      assert.notEqual(fits.statusCode, 413);
    });
  }
});

describe('RATE_LIMITS=false', () => {
  let world: Awaited<ReturnType<typeof buildTestApp>>;
  before(async () => {
    world = await appWith(false);
  });
  after(async () => world.close());

  it('turns the per-address limits off (load tests) and keeps the body limits', async () => {
    const allowed = ROUTE_LIMITS['GET /pay/:token']?.perMinute ?? 0;
    for (let i = 0; i <= allowed; i++) {
      const response = await world.app.inject({ method: 'GET', url: '/pay/not-a-token' });
      assert.equal(response.statusCode, 404);
    }
    const tooLarge = await world.app.inject({
      method: 'POST',
      url: '/webhooks/payfast',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `padding=${'x'.repeat(16 * KiB)}`,
    });
    assert.equal(tooLarge.statusCode, 413);
  });
});
