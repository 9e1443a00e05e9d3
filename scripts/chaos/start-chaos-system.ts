import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import postgres from 'postgres';
import { sandboxTemplates } from '../../bot/aisensy/sandbox-templates.js';
import { createDatabase, type Database } from '../../db/create-database.js';
import { createAisensySandbox } from '../../sandbox/aisensy/create-aisensy-sandbox.js';
import { createCipcPortalSandbox } from '../../sandbox/cipc-portal/create-cipc-portal-sandbox.js';
import { createTwoCaptchaSandbox } from '../../sandbox/twocaptcha/create-two-captcha-sandbox.js';
import { freePort } from '../free-port.js';
import { type LaunchedScript, launchScript } from '../launch-script.js';
import { findTemporalCli, startTemporalDevServer } from '../temporal-dev-server.js';
import { startAlternatingFront } from './alternating-front.js';
import { startPostgresCluster } from './postgres-cluster.js';
import { providerFaults } from './provider-faults.js';

const AISENSY = {
  projectId: 'chaos-project',
  projectApiPwd: 'chaos-project-pwd',
  apiKey: 'chaos-api-key',
  webhookSecret: 'chaos-webhook-secret',
};
const CIPC = { code: 'SANDBOX1', password: 'Sandbox#2026' };
const TWOCAPTCHA_KEY = 'chaos-2captcha-key';

export interface RunningPart {
  script: LaunchedScript;
  port?: number;
}

/**
 * Everything the fault suite breaks, all on loopback: its own PostgreSQL cluster and Temporal dev server,
 * the AiSensy, CIPC portal and 2Captcha sandboxes in this process (so the suite can inject faults and read
 * their transcripts; the services reach them as live providers), `start:bot` processes behind one
 * alternating front (AiSensy's webhooks and PUBLIC_BASE_URL point at it) and `start:worker` processes.
 */
export async function startChaosSystem(options: { filingConcurrency: number }) {
  const cli = findTemporalCli();
  if (!cli) throw new Error('no Temporal CLI (npm run setup installs one)');
  const cleanups: (() => Promise<unknown>)[] = [];
  // Ctrl-C stops what was started (the cluster, Temporal, every process), not only this process.
  const interrupted = () => void close().then(() => process.exit(130));
  const close = async () => {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const cluster = await startPostgresCluster(await freePort());
    cleanups.push(() => cluster.stop());
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await admin.unsafe('create database cipc');
    await admin.end();
    const databaseUrl = cluster.url.replace(/\/postgres$/, '/cipc');
    const database: Database = await createDatabase({ url: databaseUrl, maxConnections: 4 });
    await database.migrate();
    cleanups.push(() => database.close());

    const temporal = await startTemporalDevServer(cli, { port: await freePort() });
    cleanups.push(() => temporal.stop());
    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());

    const front = await startAlternatingFront();
    cleanups.push(() => front.close());
    const aisensy = createAisensySandbox({
      ...AISENSY,
      webhookUrl: `${front.url}/webhooks/aisensy`,
      templates: sandboxTemplates(),
      // AiSensy retries a failed webhook once, after 5 minutes, and pauses a webhook after 100 failures in
      // 20 minutes: here the retry comes after 30 s and nothing pauses, so a scenario stays bounded in time
      // and measures what we do with the retry, not how long AiSensy waits.
      knobs: { receipts: 'manual', webhookRetryDelayMs: 30_000, webhookDisableAfterFailures: 1_000_000 },
    });
    const aisensyFaults = providerFaults(aisensy.plugin);
    const portal = createCipcPortalSandbox({
      customers: [{ ...CIPC, balanceCents: 0, email: 'f@example.co.za' }],
    });
    const twoCaptcha = createTwoCaptchaSandbox({
      apiKey: TWOCAPTCHA_KEY,
      solve: (image) => portal.control.captchaAnswerFor(image),
    });
    const providers = Fastify();
    await providers.register(aisensyFaults.plugin, { prefix: '/aisensy' });
    await providers.register(portal.plugin, { prefix: '/cipc' });
    await providers.register(twoCaptcha.plugin, { prefix: '/2captcha' });
    const base = await providers.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => providers.close());

    const dataDir = await mkdtemp(join(tmpdir(), 'cipc-chaos-data-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const encryptionKey = randomBytes(32);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      // Every simulated user reaches the services through one front address: a per-address limit would
      // measure the limiter, not the fault.
      RATE_LIMITS: 'false',
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: front.url,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      ENCRYPTION_KEY: encryptionKey.toString('hex'),
      FILING_CONCURRENCY: String(options.filingConcurrency),
      ...(process.env.CHROMIUM_PATH && { CHROMIUM_PATH: process.env.CHROMIUM_PATH }),
      AISENSY_API_URL: `${base}/aisensy`,
      AISENSY_CAMPAIGN_URL: `${base}/aisensy/campaign/t1/api/v2`,
      AISENSY_PROJECT_ID: AISENSY.projectId,
      AISENSY_PROJECT_API_PWD: AISENSY.projectApiPwd,
      AISENSY_API_KEY: AISENSY.apiKey,
      AISENSY_WEBHOOK_SECRET: AISENSY.webhookSecret,
      CIPC_PORTAL_URL: `${base}/cipc`,
      CIPC_CUSTOMER_CODE: CIPC.code,
      CIPC_PASSWORD: CIPC.password,
      TWOCAPTCHA_API_URL: `${base}/2captcha`,
      TWOCAPTCHA_API_KEY: TWOCAPTCHA_KEY,
    };

    const parts = new Set<LaunchedScript>();
    cleanups.push(async () => {
      for (const part of parts) await part.stop('SIGKILL');
    });
    const launch = (script: string, extra: NodeJS.ProcessEnv = {}) => {
      const launched = launchScript(script, { ...env, ...extra });
      parts.add(launched);
      launched.exited.then(() => parts.delete(launched));
      return launched;
    };

    /** A service on `port` (a new one unless told), behind the front once it answers. */
    async function startBot(port?: number): Promise<RunningPart> {
      const at = port ?? (await freePort());
      const script = launch('scripts/start-bot.ts', { PORT: String(at) });
      await answering(`http://127.0.0.1:${at}/api/v1/health`, script, 120_000);
      if (!front.ports.includes(at)) front.ports.push(at);
      return { script, port: at };
    }
    /** A filing worker, once it polls (the service's health says a worker polled the filing queue). */
    async function startWorker(): Promise<RunningPart> {
      const script = launch('scripts/start-worker.ts', { LOG_LEVEL: 'info' });
      await waitFor(async () => script.output().includes('filing worker polling'), 120_000, script);
      return { script };
    }

    return {
      database,
      cluster,
      temporal: new Client({ connection }),
      front,
      aisensy: aisensy.control,
      aisensyFaults,
      portal: portal.control,
      twoCaptcha: twoCaptcha.control,
      encryptionKey,
      startBot,
      startWorker,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
export type ChaosSystem = Awaited<ReturnType<typeof startChaosSystem>>;

async function answering(url: string, script: LaunchedScript, ms: number): Promise<void> {
  await waitFor(
    () =>
      fetch(url).then(
        () => true,
        () => false,
      ),
    ms,
    script,
  );
}

async function waitFor(check: () => Promise<boolean>, ms: number, script: LaunchedScript): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (script.child.exitCode !== null) throw new Error(`the process exited:\n${script.output()}`);
    if (Date.now() > deadline) throw new Error(`not ready within ${ms / 1000} s:\n${script.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
