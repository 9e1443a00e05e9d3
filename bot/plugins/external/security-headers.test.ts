import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createAisensySandbox } from '../../../sandbox/aisensy/create-aisensy-sandbox.js';
import { createPayfastSandbox } from '../../../sandbox/payfast/create-payfast-sandbox.js';
import { seedUnpaidOrder } from '../../routes/pay/testing/seed-unpaid-order.js';
import { buildTestApp, testConfig } from '../../testing/build-test-app.js';

type World = Awaited<ReturnType<typeof buildTestApp>>;

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: unknown): Map<string, string[]> {
  assert.equal(typeof header, 'string', 'a Content-Security-Policy header');
  return new Map(
    (header as string)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name as string, values]),
  );
}

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const inline = (html: string, tag: 'script' | 'style') =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] as string);

/** The service with the phone simulator and the PayFast sandbox mounted as the launcher mounts them. */
async function serviceWithSandboxes(env: 'test' | 'production'): Promise<World> {
  const aisensy = createAisensySandbox({
    projectId: testConfig.aisensy.projectId,
    projectApiPwd: testConfig.aisensy.projectApiPwd,
    apiKey: testConfig.aisensy.apiKey,
    webhookUrl: `${testConfig.publicBaseUrl}/webhooks/aisensy`,
    webhookSecret: testConfig.aisensy.webhookSecret,
  });
  const payfast = createPayfastSandbox({ merchants: [testConfig.payfast] });
  return buildTestApp({
    config: { ...testConfig, env },
    extraRoutes: async (app) => {
      await app.register(aisensy.plugin, { prefix: '/sandbox/aisensy' });
      await app.register(aisensy.phonePlugin);
      await app.register(payfast.plugin, { prefix: '/sandbox/payfast' });
    },
  });
}

describe('security headers', () => {
  let world: World;
  before(async () => {
    world = await serviceWithSandboxes('test');
  });
  after(async () => world.close());
  const get = (url: string) => world.app.inject({ method: 'GET', url });

  function assertCommonHeaders(headers: Record<string, unknown>, referrerPolicy: string) {
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['referrer-policy'], referrerPolicy);
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['strict-transport-security'], undefined, 'no HSTS outside production');
    const csp = directives(headers['content-security-policy']);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    return csp;
  }

  it('pay page: no scripts, its one inline style allowed by the hash of the style it serves', async () => {
    const order = await seedUnpaidOrder(world.database.db);
    const response = await get(`/pay/${order.payToken}`);
    assert.equal(response.statusCode, 200);
    const csp = assertCommonHeaders(response.headers, 'no-referrer');
    const styles = inline(response.body, 'style');
    assert.equal(styles.length, 1);
    assert.deepEqual(csp.get('style-src'), styles.map(hashOf));
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.equal(csp.get('script-src'), undefined);
    assert.deepEqual(csp.get('form-action'), ["'none'"]);
    assert.equal(inline(response.body, 'script').length, 0);
  });

  it('a pay page that cannot be paid (404) gets the same policy', async () => {
    const response = await get('/pay/no-such-token');
    assert.equal(response.statusCode, 404);
    const csp = assertCommonHeaders(response.headers, 'no-referrer');
    assert.deepEqual(csp.get('style-src'), inline(response.body, 'style').map(hashOf));
  });

  it('PayFast checkout page: its auto-submit script by hash, and a form that may post only to PayFast', async () => {
    const order = await seedUnpaidOrder(world.database.db);
    const response = await get(`/pay/${order.payToken}/payfast`);
    assert.equal(response.statusCode, 200);
    const csp = assertCommonHeaders(response.headers, 'no-referrer');
    const scripts = inline(response.body, 'script');
    assert.equal(scripts.length, 1);
    assert.deepEqual(csp.get('script-src'), scripts.map(hashOf));
    assert.deepEqual(csp.get('style-src'), inline(response.body, 'style').map(hashOf));
    assert.deepEqual(csp.get('form-action'), [
      new URL(testConfig.payfast.url).origin,
      'https://*.payfast.co.za',
      'https://*.payfast.io',
    ]);
  });

  it('phone simulator: scripts and styles from its own files only, no inline code', async () => {
    const response = await get('/sandbox/phone');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    const csp = assertCommonHeaders(response.headers, 'strict-origin-when-cross-origin');
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('style-src'), ["'self'"]);
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
    assert.equal(inline(response.body, 'script').length, 0);
    assert.equal(inline(response.body, 'style').length, 0);
  });

  it('agent console and JSON answers get the default policy', async () => {
    for (const url of ['/agent', '/api/v1/health']) {
      const response = await get(url);
      const csp = assertCommonHeaders(response.headers, 'strict-origin-when-cross-origin');
      assert.deepEqual(csp.get('script-src'), ["'self'"], url);
      assert.deepEqual(csp.get('default-src'), ["'self'"], url);
    }
  });

  it("leaves the provider sandboxes' own pages alone (they stand in for PayFast, Ozow and the CIPC portal)", async () => {
    const response = await world.app.inject({
      method: 'POST',
      url: '/sandbox/payfast/eng/process',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'merchant_id=1',
    });
    assert.equal(response.headers['content-security-policy'], undefined);
  });
});

describe('security headers in production', () => {
  let world: World;
  before(async () => {
    world = await serviceWithSandboxes('production');
  });
  after(async () => world.close());

  it('adds HSTS and upgrade-insecure-requests', async () => {
    const response = await world.app.inject({ method: 'GET', url: '/pay/no-such-token' });
    assert.match(
      String(response.headers['strict-transport-security']),
      /^max-age=31536000; includeSubDomains/,
    );
    assert.deepEqual(
      directives(response.headers['content-security-policy']).get('upgrade-insecure-requests'),
      [],
    );
  });
});
