import { Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import type { Config } from '../../../../config/load-config.js';
import { events, paymentNotifications, payments } from '../../../../db/schema.js';
import { createTestDatabase } from '../../../../db/test-database.js';
import { createOzowSandbox } from '../../../../sandbox/ozow/create-ozow-sandbox.js';
import { createPayfastSandbox } from '../../../../sandbox/payfast/create-payfast-sandbox.js';
import { buildApp } from '../../../build-app.js';
import { testConfig } from '../../../testing/build-test-app.js';

const unescapeHtml = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/**
 * Test support: the service (built by buildApp, the payment routes registered as build-app will) on a
 * fresh database, and the PayFast and Ozow sandboxes on a loopback server of their own, wired both ways.
 * The config is the sandbox-mode test config (so loopback may post ITNs) pointed at both servers; `payfast`
 * changes its PayFast merchant or allowlist (the sandbox takes the same merchant); `trustProxy` is TRUST_PROXY's.
 */
export async function startPaymentWorld(
  options: { payfast?: Partial<Config['payfast']>; trustProxy?: Config['trustProxy'] } = {},
) {
  const database = await createTestDatabase();
  const config: Config = structuredClone(testConfig);
  Object.assign(config.payfast, options.payfast);
  if (options.trustProxy !== undefined) config.trustProxy = options.trustProxy;
  const payfast = createPayfastSandbox({
    merchants: [
      {
        merchantId: config.payfast.merchantId,
        merchantKey: config.payfast.merchantKey,
        passphrase: config.payfast.passphrase,
      },
    ],
    retryDelaysMs: [200, 500],
  });
  const ozow = createOzowSandbox({
    sites: [
      { siteCode: config.ozow.siteCode, privateKey: config.ozow.privateKey, apiKey: config.ozow.apiKey },
    ],
    retryDelaysMs: [200, 500],
  });
  // The providers on a server of their own, started first: our config needs their URL before we register.
  const providers = Fastify();
  await providers.register(payfast.plugin, { prefix: '/payfast' });
  await providers.register(ozow.plugin, { prefix: '/ozow' });
  const providersUrl = await providers.listen({ host: '127.0.0.1', port: 0 });
  config.payfast.url = `${providersUrl}/payfast`;
  config.ozow.apiUrl = `${providersUrl}/ozow`;
  const kicked: string[] = [];
  const app = await buildApp({
    config,
    db: database.db,
    temporal: Connection.lazy({ address: '127.0.0.1:1' }),
    logger: false,
    engine: {
      kick: async (id) => {
        kicked.push(id);
      },
    },
  });
  const routes = app.paymentChecks;
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  // Read per request by the pay page: notify and return URLs point here.
  config.publicBaseUrl = url;
  const db = database.db;
  return {
    app,
    url,
    db,
    config,
    payfast: payfast.control,
    ozow: ozow.control,
    kicked,
    /** Waits for the sandboxes' deliveries (retries included) and our ITN checks. */
    async settled() {
      await Promise.all([payfast.control.settled(), ozow.control.settled()]);
      await routes.settled();
    },
    /** Waits for our ITN checks only (a sandbox may hold a delivery back on purpose). */
    checked: () => routes.settled(),
    /** Opens our PayFast page, posts its form to the sandbox and presses a button there, as a browser would. */
    async payWithPayfast(token: string, action: 'pay' | 'cancel' | 'fail' = 'pay') {
      const page = await (await fetch(`${url}/pay/${token}/payfast`)).text();
      const formAction = /<form[^>]*action="([^"]+)"/.exec(page)?.[1] ?? '';
      const fields = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(
        ([, name, value]) => [name as string, unescapeHtml(value as string)],
      );
      const checkout = await fetch(unescapeHtml(formAction), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      const payPage = new URL(checkout.headers.get('location') ?? '', unescapeHtml(formAction)).href;
      return fetch(payPage, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `action=${action}`,
        redirect: 'manual',
      });
    },
    /** Opens our Ozow link (302 to the sandbox) and presses a button on Ozow's page. */
    async payWithOzow(token: string, action: 'pay' | 'cancel' | 'fail' = 'pay') {
      const start = await fetch(`${url}/pay/${token}/ozow`, { redirect: 'manual' });
      return fetch(start.headers.get('location') ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `action=${action}`,
        redirect: 'manual',
      });
    },
    paymentsOf: (orderId: string) => db.select().from(payments).where(eq(payments.orderId, orderId)),
    eventsOf: (conversationId: string) =>
      db.select().from(events).where(eq(events.conversationId, conversationId)),
    notifications: (provider: 'payfast' | 'ozow') =>
      db.select().from(paymentNotifications).where(eq(paymentNotifications.provider, provider)),
    async close() {
      await app.close();
      await providers.close();
      await database.close();
    },
  };
}
export type PaymentWorld = Awaited<ReturnType<typeof startPaymentWorld>>;
