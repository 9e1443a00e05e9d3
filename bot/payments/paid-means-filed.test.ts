import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import Fastify from 'fastify';
import pino from 'pino';
import { contacts, conversations, events, orders, outbox, payments } from '../../db/schema.js';
import { storeEvent } from '../../db/store-event.js';
import type { CompanyFacts } from '../../flows/conversation/conversation-event.js';
import { ACME as ACME_FIXTURE } from '../../flows/conversation/conversation-fixtures.js';
import { filingWorkflowId } from '../../flows/filing/file-annual-returns.js';
import { createAisensySandbox } from '../../sandbox/aisensy/create-aisensy-sandbox.js';
import { createAisensyClient } from '../aisensy/create-aisensy-client.js';
import { sandboxTemplates } from '../aisensy/sandbox-templates.js';
import { createEngine } from '../engine/create-engine.js';
import { createOutboxDispatcher } from '../outbox/create-outbox-dispatcher.js';
import { type PaymentWorld, startPaymentWorld } from '../routes/pay/testing/start-payment-world.js';
import { postAisensy, userTextEnvelope } from '../testing/build-test-app.js';
import { createPaymentReconciler } from './create-payment-reconciler.js';

const temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
const silent = pino({ level: 'silent' });

/** Filed every year up to 2025 (so one annual return is outstanding), BO declared this year. */
const ACME: CompanyFacts = { ...ACME_FIXTURE, boYear: new Date().getUTCFullYear() };

/**
 * "Paid means filed": whatever the dialogue does between the payment link and the payment (restart, stop,
 * menu, agent, a new machine version), a confirmed payment queues exactly one filing and the filing
 * workflow starts exactly once. Real webhooks, engine, PayFast/Ozow sandboxes, dispatcher and Temporal.
 */
describe('a confirmed payment always leads to exactly one filing', {
  skip: !temporalAddress && 'no TEST_TEMPORAL_ADDRESS',
}, () => {
  let world: PaymentWorld;
  let engine: ReturnType<typeof createEngine>;
  let temporal: Client;
  let dispatcher: ReturnType<typeof createOutboxDispatcher>;
  const cleanups: (() => Promise<unknown>)[] = [];
  const taskQueue = `paid-means-filed-${randomUUID()}`;
  before(async () => {
    world = await startPaymentWorld();
    engine = createEngine({
      db: world.db,
      logger: silent,
      serviceFeeCents: world.config.serviceFeeCents,
      publicBaseUrl: world.url,
      encryptionKeys: world.app.encryptionKeys,
      payTokenTtlMs: 3_600_000,
      pollIntervalMs: 50,
    });
    engine.start();
    const aisensy = createAisensySandbox({
      projectId: world.config.aisensy.projectId,
      projectApiPwd: world.config.aisensy.projectApiPwd,
      apiKey: world.config.aisensy.apiKey,
      webhookSecret: world.config.aisensy.webhookSecret,
      webhookUrl: `${world.url}/webhooks/aisensy`,
      templates: sandboxTemplates(),
    });
    const provider = Fastify();
    await provider.register(aisensy.plugin, { prefix: '/sandbox/aisensy' });
    const providerUrl = await provider.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => provider.close());
    const connection = await Connection.connect({ address: temporalAddress as string });
    cleanups.push(() => connection.close());
    temporal = new Client({ connection });
    dispatcher = createOutboxDispatcher({
      db: world.db,
      aisensy: createAisensyClient({
        ...world.config.aisensy,
        apiUrl: `${providerUrl}/sandbox/aisensy`,
        campaignUrl: `${providerUrl}/sandbox/aisensy/campaign/t1/api/v2`,
      }),
      temporal,
      logger: silent,
      filingTaskQueue: taskQueue,
      encryptionKeys: world.app.encryptionKeys,
    });
  });
  after(async () => {
    await engine.stop();
    await dispatcher.stop();
    for (const cleanup of cleanups) await cleanup();
    await world.close();
  });

  let phoneSequence = 0;
  const db = () => world.db;

  async function settled(conversationId: string): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const pending = await db()
        .select({ id: events.id })
        .from(events)
        .where(and(eq(events.conversationId, conversationId), eq(events.status, 'pending')));
      if (pending.length === 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail('events still pending');
  }

  /** An owner who reached the payment link on WhatsApp, as they would: hi → consent → number → ... → pay. */
  async function ownerAwaitingPayment() {
    phoneSequence++;
    const phone = `+2783${String(Date.now() % 1e5).padStart(5, '0')}${String(phoneSequence).padStart(2, '0')}`;
    const say = async (text: string) => {
      const response = await postAisensy(world.app, userTextEnvelope(phone, text));
      assert.equal(response.statusCode, 200, response.body);
      await settled(conversationId());
    };
    let id = '';
    const conversationId = () => id;
    await postAisensy(world.app, userTextEnvelope(phone, 'hi'));
    const [row] = await db()
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(contacts.phone, phone));
    id = row?.id as string;
    await settled(id);
    await say('I agree');
    await say(ACME.registrationNumber);
    // What the lookup workflow stores when the portal's search answers.
    await storeEvent(db(), {
      dedupeKey: `lookup:${id}:${randomUUID()}`,
      conversationId: id,
      type: 'lookup.found',
      payload: { type: 'lookup.found', at: new Date().toISOString(), company: ACME },
    });
    await engine.kick(id);
    await settled(id);
    await say('yes');
    await say('about 2 million');
    await say('Thandi Mokoena 8001015009087');
    await say('thandi@acme.co.za');
    await say('Pay now');
    const [order] = await db().select().from(orders).where(eq(orders.conversationId, id));
    assert.equal(order?.status, 'awaiting_payment', 'the payment link was sent');
    return { phone, conversationId: id, order: order as typeof orders.$inferSelect, say };
  }

  /** The periodic payment checks, with nothing left to wait for. */
  const reconcilerNow = () =>
    createPaymentReconciler({
      db: db(),
      encryptionKeys: world.app.encryptionKeys,
      config: world.config,
      logger: silent,
      ozowAfterMs: 0,
      payfastAfterMs: 0,
    });

  async function startFilingRows(orderId: string) {
    const rows = await db().select().from(outbox).where(eq(outbox.kind, 'temporal.startFiling'));
    return rows.filter((row) => (row.payload as { orderId: string }).orderId === orderId);
  }

  /** Sends the outbox until this order's filing start is sent; then counts its workflow runs. */
  async function filingRuns(orderId: string): Promise<number> {
    for (let i = 0; i < 100; i++) {
      const rows = await startFilingRows(orderId);
      if (rows.length > 0 && rows.every((row) => row.status !== 'pending')) break;
      await dispatcher.runOnce();
      await new Promise((r) => setTimeout(r, 50));
    }
    let runs = 0;
    const workflowId = filingWorkflowId(orderId);
    for await (const _ of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs++;
    if (runs > 0) await temporal.workflow.getHandle(workflowId).terminate('test over');
    return runs;
  }

  async function assertFiledOnce(orderId: string, conversationId: string) {
    await world.settled();
    await settled(conversationId);
    const [order] = await db().select().from(orders).where(eq(orders.id, orderId));
    assert.ok(order && ['paid', 'filing'].includes(order.status), `order is ${order?.status}`);
    assert.equal((await db().select().from(payments).where(eq(payments.orderId, orderId))).length, 1);
    assert.equal((await startFilingRows(orderId)).length, 1, 'one filing queued');
    assert.equal(await filingRuns(orderId), 1, 'one filing workflow');
  }

  for (const [what, words] of [
    ['restart', ['restart']],
    ['an opt-out (stop)', ['stop']],
    ['the menu', ['menu']],
    ['asking for a person', ['agent']],
    ['restart and a new company', ['restart', '2020/654321/07']],
  ] as const) {
    it(`files a payment made after ${what}, exactly once`, async () => {
      const owner = await ownerAwaitingPayment();
      for (const word of words) await owner.say(word);
      await world.payWithPayfast(owner.order.payToken);
      await assertFiledOnce(owner.order.id, owner.conversationId);
    });
  }

  it('files a payment made after the conversation was written by another machine version, exactly once', async () => {
    const owner = await ownerAwaitingPayment();
    await db()
      .update(conversations)
      .set({ machineVersion: -1 })
      .where(eq(conversations.id, owner.conversationId));
    await world.payWithOzow(owner.order.payToken);
    await assertFiledOnce(owner.order.id, owner.conversationId);
  });

  it('files once when PayFast sends its ITN three times and reconciliation re-checks it at once', async () => {
    const owner = await ownerAwaitingPayment();
    world.payfast.set({ duplicates: 3 });
    const reconciler = reconcilerNow();
    await Promise.all([
      world.payWithPayfast(owner.order.payToken),
      reconciler.runOnce(),
      reconciler.runOnce(),
    ]);
    await Promise.all([reconciler.runOnce(), world.settled()]);
    world.payfast.set({ duplicates: 1 });
    await assertFiledOnce(owner.order.id, owner.conversationId);
  });

  it('files once when the Ozow notification and reconciliation confirm the same payment at once', async () => {
    const owner = await ownerAwaitingPayment();
    world.ozow.set({ delayMs: 300 });
    await world.payWithOzow(owner.order.payToken);
    const reconciler = reconcilerNow();
    // The reconciliation races the notification (held back 300 ms) and itself.
    await Promise.all([reconciler.runOnce(), reconciler.runOnce(), world.settled()]);
    world.ozow.set({ delayMs: 0 });
    await assertFiledOnce(owner.order.id, owner.conversationId);
  });
});
