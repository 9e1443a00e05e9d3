import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import pino from 'pino';
import { encryptionKeys } from '../../../config/encryption-key.js';
import { contacts, conversations, filings, orders } from '../../../db/schema.js';
import {
  createFilingTestWorld,
  eventually,
  type FilingTestWorld,
} from '../../../filing-worker/testing/filing-test-world.js';
import {
  FILE_ANNUAL_RETURNS_WORKFLOW,
  type FilingResult,
  filingWorkflowId,
  type OrderToFile,
} from '../../../flows/filing/file-annual-returns.js';
import { createAisensySandbox } from '../../../sandbox/aisensy/create-aisensy-sandbox.js';
import { type LoggedInAgent, logInAgent } from '../../agent/testing/log-in-agent.js';
import { createAisensyClient } from '../../aisensy/create-aisensy-client.js';
import { sandboxTemplates } from '../../aisensy/sandbox-templates.js';
import { buildApp } from '../../build-app.js';
import { createEngine } from '../../engine/create-engine.js';
import { createOutboxDispatcher } from '../../outbox/create-outbox-dispatcher.js';
import { testConfig } from '../../testing/build-test-app.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
const silent = pino({ level: 'silent' });
const late = (year: number) => ({ year, turnoverBandId: 'company-under-1m', late: true, feeCents: 150_00 });

/**
 * An agent rescues filings end to end: the real filing worker (Chromium against the CIPC portal sandbox,
 * the 2Captcha sandbox), Temporal, PostgreSQL, the service's routes behind a real session, its engine
 * and outbox, and the AiSensy sandbox standing in for the owner's phone.
 */
describe('an agent rescues filings that wait for a person', {
  skip: !address && 'no TEST_TEMPORAL_ADDRESS',
}, () => {
  let world: FilingTestWorld;
  let app: FastifyInstance;
  let agent: LoggedInAgent;
  let aisensy: ReturnType<typeof createAisensySandbox>;
  const stops: (() => Promise<unknown>)[] = [];
  let clones = 0;

  before(async () => {
    world = await createFilingTestWorld();
    await world.startWorker();
    // The worker and the service share the key ring, as they share the database.
    const keys = encryptionKeys(world.config);
    const connection = await Connection.connect({ address: address as string });
    stops.push(() => connection.close());
    app = await buildApp({
      config: testConfig,
      db: world.db,
      temporal: connection,
      logger: false,
      encryptionKeys: keys,
      filingTaskQueue: world.taskQueue,
    });
    stops.push(() => app.close());
    aisensy = createAisensySandbox({
      projectId: testConfig.aisensy.projectId,
      projectApiPwd: testConfig.aisensy.projectApiPwd,
      apiKey: testConfig.aisensy.apiKey,
      webhookSecret: testConfig.aisensy.webhookSecret,
      webhookUrl: 'http://127.0.0.1:9/webhooks/aisensy',
      templates: sandboxTemplates(),
    });
    const provider = Fastify();
    await provider.register(aisensy.plugin, { prefix: '/sandbox/aisensy' });
    const providerUrl = await provider.listen({ host: '127.0.0.1', port: 0 });
    stops.push(() => provider.close());
    const engine = createEngine({
      db: world.db,
      logger: silent,
      serviceFeeCents: testConfig.serviceFeeCents,
      publicBaseUrl: testConfig.publicBaseUrl,
      encryptionKeys: keys,
      payTokenTtlMs: 3_600_000,
      pollIntervalMs: 100,
    });
    engine.start();
    stops.push(() => engine.stop());
    const dispatcher = createOutboxDispatcher({
      db: world.db,
      aisensy: createAisensyClient({
        ...testConfig.aisensy,
        apiUrl: `${providerUrl}/sandbox/aisensy`,
        campaignUrl: `${providerUrl}/sandbox/aisensy/campaign/t1/api/v2`,
      }),
      temporal: world.client,
      logger: silent,
      encryptionKeys: keys,
      filingTaskQueue: world.taskQueue,
      pollIntervalMs: 100,
    });
    dispatcher.start();
    stops.push(() => dispatcher.stop());
    agent = await logInAgent(app, world.db, { name: 'Thandi Dlamini' });
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop();
    await world?.close();
  });

  /** A paid order for a fresh ACME-like company (2025 and 2026 outstanding), its filing started. */
  async function fileFor(name: string, boDeclarationYears = [2023, 2024, 2025, 2026]) {
    clones += 1;
    const number = `2019/${String(300_000 + clones)}/07`;
    world.portal.upsertEnterprise({
      number,
      name,
      incorporated: '2019-03-14',
      status: 'In Business',
      filedYears: [2020, 2021, 2022, 2023, 2024],
      boDeclarationYears,
    });
    const order: OrderToFile = await world.paidOrder(number, [late(2025), late(2026)], name);
    const handle = await world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: filingWorkflowId(order.orderId),
      args: [order],
    });
    const filing = await eventually(async () => {
      const [row] = await world.db.select().from(filings).where(eq(filings.orderId, order.orderId));
      return row;
    });
    const [owner] = await world.db
      .select({ phone: contacts.phone })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(conversations.id, order.conversationId));
    assert.ok(owner, 'the order has an owner');
    return { number, order, handle, filingId: filing.id, phone: owner.phone.replace(/^\+/, '') };
  }

  const getFiling = (id: string) =>
    app.inject({ method: 'GET', url: `/api/v1/agent/filings/${id}`, headers: { cookie: agent.cookie } });
  const act = (id: string, payload: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/agent/filings/${id}/actions`,
      payload,
      headers: agent.headers,
    });
  /** Waits until the filing asks for a person (the console's view of it). */
  const waiting = (id: string) =>
    eventually(async () => {
      const view = (await getFiling(id)).json();
      return view.needs?.waiting ? view : undefined;
    }, 90_000);
  /** What the owner's phone received, as one text. */
  const phoneSees = (phone: string, text: RegExp) =>
    eventually(async () => {
      const received = JSON.stringify(aisensy.control.outbound(phone).map((m) => m.content));
      return text.test(received) ? received : undefined;
    }, 90_000);

  it('resumes a filing paused on an unreadable captcha with the code a person typed, and it completes', async () => {
    world.twoCaptcha.setFaults({ zeroBalance: true });
    try {
      const { handle, filingId, number, phone, order } = await fileFor('TYPED BY HAND (PTY) LTD');
      const view = await waiting(filingId);
      assert.equal(view.needs.captcha, true);
      assert.deepEqual(view.needs.actions, ['retry', 'captcha', 'markFiled', 'cancel']);
      assert.equal(view.progress?.status, 'waiting_for_person', 'the workflow answers its progress query');
      await phoneSees(phone, /needs a quick check by one of our people/);

      const image = await app.inject({
        method: 'GET',
        url: `/api/v1/agent/filings/${filingId}/captcha`,
        headers: { cookie: agent.cookie },
      });
      assert.equal(image.statusCode, 200);
      assert.equal(image.headers['content-type'], 'image/png');
      // What the person reads off the image: the portal served exactly these bytes.
      const text = world.portal.captchaAnswerFor(image.rawPayload);
      assert.ok(text, 'the image is the one the portal served');

      const wrongKind = await act(filingId, { action: 'balanceToppedUp' });
      assert.equal(wrongKind.statusCode, 409, 'the filing does not wait for the balance');
      const tasksBefore = world.twoCaptcha.counters().tasksCreated;
      const answered = await act(filingId, { action: 'captcha', text });
      assert.equal(answered.statusCode, 202, answered.body);

      const result: FilingResult = await handle.result();
      assert.equal(result.status, 'filed');
      assert.equal(world.twoCaptcha.counters().tasksCreated, tasksBefore, '2Captcha (down) was not asked');
      assert.deepEqual(
        world.portal
          .filings(number)
          .filter((f) => f.year >= 2025)
          .map((f) => [f.year, f.paidCount]),
        [
          [2025, 1],
          [2026, 1],
        ],
      );
      await phoneSees(phone, /One of our people entered the CIPC security code; your filing continues/);
      await phoneSees(phone, /Done! Your annual returns are filed at CIPC/);
      const [paid] = await world.db.select().from(orders).where(eq(orders.id, order.orderId));
      assert.equal(paid?.status, 'filed');

      const after = await act(filingId, { action: 'retry' });
      assert.equal(after.statusCode, 409);
      assert.match(after.json().message, /already filed/);
    } finally {
      world.twoCaptcha.setFaults({ zeroBalance: false });
    }
  });

  it('marks a filing filed by hand with its AR references, and the owner is told', async () => {
    const { handle, filingId, phone } = await fileFor('FILED AT THE COUNTER (PTY) LTD', [2023]);
    const view = await waiting(filingId);
    assert.match(view.needs.reason, /no beneficial ownership declaration for 2025, 2026/);
    assert.equal(view.needs.captcha, false);

    const answered = await act(filingId, {
      action: 'markFiled',
      arReference: 'AR20250000777, AR20260000778',
      note: 'filed at the CIPC counter after the BO declaration',
    });
    assert.equal(answered.statusCode, 202, answered.body);
    const result: FilingResult = await handle.result();
    assert.deepEqual([result.status, result.arReferences], ['filed', ['AR20250000777', 'AR20260000778']]);
    await phoneSees(
      phone,
      /One of our people filed your annual returns at CIPC\. References: AR20250000777, AR20260000778/,
    );

    const done = (await getFiling(filingId)).json();
    assert.equal(done.status, 'filed');
    assert.deepEqual(done.arReferences, ['AR20250000777', 'AR20260000778']);
    assert.deepEqual(
      done.actions.map((a: { action: string; agentName: string }) => [a.action, a.agentName]),
      [['markFiled', 'Thandi Dlamini']],
    );
    assert.equal(done.milestones.at(-1).milestone, 'filedByHand');
  });

  it('cancels a waiting filing with a refund note the owner reads', async () => {
    const { handle, filingId, phone, order } = await fileFor('CHANGED MY MIND (PTY) LTD', [2023]);
    await waiting(filingId);
    const answered = await act(filingId, {
      action: 'cancel',
      refundNote: 'R499 is refunded to your card today.',
    });
    assert.equal(answered.statusCode, 202, answered.body);
    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'cancelled');
    await phoneSees(
      phone,
      /Your filing was cancelled[^"]*Your refund: R499 is refunded to your card today\./,
    );
    const [cancelled] = await world.db.select().from(orders).where(eq(orders.id, order.orderId));
    assert.equal(cancelled?.status, 'cancelled');
    assert.equal((await act(filingId, { action: 'retry' })).statusCode, 409);
  });
});
