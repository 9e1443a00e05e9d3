import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { Registry } from 'prom-client';
import { conversations, orders, outbox } from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import { filingWorkflowId } from '../../flows/filing/file-annual-returns.js';
import { createAisensyClient } from '../aisensy/create-aisensy-client.js';
import { createOutboxDispatcher } from '../outbox/create-outbox-dispatcher.js';
import { seedUnpaidOrder } from '../routes/pay/testing/seed-unpaid-order.js';
import { testConfig } from '../testing/build-test-app.js';
import { createUnfiledOrderSweeper } from './create-unfiled-order-sweeper.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
const HOUR = 3_600_000;

describe('the unfiled-order sweeper', { skip: !address && 'no TEST_TEMPORAL_ADDRESS' }, () => {
  let database: TestDatabase;
  let connection: Connection;
  let temporal: Client;
  const registry = new Registry();
  const taskQueue = `sweeper-${randomUUID()}`;
  before(async () => {
    database = await createTestDatabase();
    connection = await Connection.connect({ address: address as string });
    temporal = new Client({ connection });
    unfiledOrders = createUnfiledOrderSweeper({
      db: database.db,
      temporal,
      logger: pino({ level: 'silent' }),
      registry,
      graceMs: HOUR,
    });
  });
  after(async () => {
    await connection.close();
    await database.close();
  });
  let unfiledOrders: ReturnType<typeof createUnfiledOrderSweeper>;
  const sweeper = () => unfiledOrders;
  const dispatcher = () =>
    createOutboxDispatcher({
      db: database.db,
      aisensy: createAisensyClient(testConfig.aisensy),
      temporal,
      logger: pino({ level: 'silent' }),
      filingTaskQueue: taskQueue,
      encryptionKeys: [],
    });
  const paidOrder = (paidAt = new Date(Date.now() - 2 * HOUR)) =>
    seedUnpaidOrder(database.db, { status: 'paid', paidAt });
  const startRows = async (orderId: string) =>
    (await database.db.select().from(outbox).where(eq(outbox.kind, 'temporal.startFiling'))).filter(
      (row) => (row.payload as { orderId: string }).orderId === orderId,
    );
  const orderRow = async (id: string) =>
    (await database.db.select().from(orders).where(eq(orders.id, id)))[0];
  const gauge = async () =>
    (await registry.getSingleMetric('paid_orders_without_filing')?.get())?.values[0]?.value;

  it('queues the start again for a paid order with no filing workflow, once, and is content when it runs', async () => {
    const order = await paidOrder();
    const first = await sweeper().runOnce();
    assert.equal(first.restarted, 1);
    assert.equal(await gauge(), 1);
    assert.equal((await startRows(order.id)).length, 1);
    // While the start is pending, another sweep (another replica) queues nothing more.
    assert.equal((await sweeper().runOnce()).restarted, 0);
    assert.equal((await startRows(order.id)).length, 1);

    await dispatcher().runOnce();
    const handle = temporal.workflow.getHandle(filingWorkflowId(order.id));
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    const after = await sweeper().runOnce();
    assert.deepEqual(after, { unfiled: 0, restarted: 0, flagged: 0 });
    assert.equal(await gauge(), 0);
    await handle.terminate('test over');
  });

  it('leaves an order alone within the grace period', async () => {
    const order = await paidOrder(new Date());
    await sweeper().runOnce();
    assert.equal((await startRows(order.id)).length, 0);
  });

  it('flags a paid order whose start failed for good, with the reason, for a person', async () => {
    const order = await paidOrder();
    await database.db.insert(outbox).values({
      conversationId: order.conversationId,
      kind: 'temporal.startFiling',
      payload: { orderId: order.id },
      status: 'failed',
      lastError: 'order does not exist',
    });
    const report = await sweeper().runOnce();
    assert.equal(report.flagged, 1);
    assert.equal((await orderRow(order.id))?.status, 'needs_agent');
    const [conversation] = await database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, order.conversationId));
    assert.match(conversation?.needsAgent ?? '', /paid but not filed[\s\S]*order does not exist/);
    assert.equal((await sweeper().runOnce()).flagged, 0, 'flagged once: the order left the sweep');
  });

  it('flags a paid order whose filing workflow ended without filing', async () => {
    const order = await paidOrder();
    await database.db.insert(outbox).values({
      conversationId: order.conversationId,
      kind: 'temporal.startFiling',
      payload: { orderId: order.id },
    });
    await dispatcher().runOnce();
    await temporal.workflow.getHandle(filingWorkflowId(order.id)).terminate('operator error');
    const report = await sweeper().runOnce();
    assert.equal(report.flagged, 1);
    assert.equal((await orderRow(order.id))?.status, 'needs_agent');
  });
});
