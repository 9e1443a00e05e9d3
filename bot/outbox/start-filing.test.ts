import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { asc, eq } from 'drizzle-orm';
import pino from 'pino';
import { contacts, conversations, filings, orders, outbox } from '../../db/schema.js';
import { createTestDatabase } from '../../db/test-database.js';
import { filingWorkflowId } from '../../flows/filing/file-annual-returns.js';
import { createAisensyClient } from '../aisensy/create-aisensy-client.js';
import { testConfig } from '../testing/build-test-app.js';
import { createOutboxDispatcher } from './create-outbox-dispatcher.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;

/** A paid order of its own conversation, on a fresh database. */
async function paidOrderWorld(phone: string, reference: string) {
  const database = await createTestDatabase();
  after(() => database.close());
  const db = database.db;
  const [contact] = await db.insert(contacts).values({ phone }).returning();
  const [conversation] = await db
    .insert(conversations)
    .values({ contactId: contact?.id as string, machineVersion: 1 })
    .returning();
  const [order] = await db
    .insert(orders)
    .values({
      reference,
      conversationId: conversation?.id as string,
      registrationNumber: '2019/123456/07',
      companyName: 'ACME TRADING (PTY) LTD',
      years: [
        {
          year: 2025,
          turnoverBand: 'company-under-1m',
          late: true,
          dueDate: '2025-05-02',
          feeCents: 15_000,
        },
      ],
      cipcFeeCents: 15_000,
      serviceFeeCents: 19_900,
      amountCents: 34_900,
      payToken: randomUUID(),
      payTokenExpiresAt: new Date(Date.now() + 3_600_000),
      status: 'paid',
    })
    .returning();
  return { db, conversationId: conversation?.id as string, orderId: order?.id as string };
}

describe('starting the filing from the outbox', { skip: !address && 'no TEST_TEMPORAL_ADDRESS' }, () => {
  it('waits while Temporal is unreachable, then starts the workflow exactly once when it is back', async () => {
    const { db, conversationId, orderId } = await paidOrderWorld('+27828880001', 'AR-TESTDOWN');
    // The start command is queued twice, as a duplicate payment event would (it cannot, but prove it anyway).
    for (let i = 0; i < 2; i++) {
      await db.insert(outbox).values({
        conversationId,
        kind: 'temporal.startFiling',
        payload: { orderId },
      });
    }
    const taskQueue = `down-${randomUUID()}`;
    const aisensy = createAisensyClient(testConfig.aisensy);
    const logger = pino({ level: 'silent' });
    let clock = Date.now();
    const down = createOutboxDispatcher({
      db,
      aisensy,
      temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 300 }) }),
      logger,
      encryptionKeys: [],
      filingTaskQueue: taskQueue,
      now: () => new Date(clock),
    });
    await down.runOnce();
    const [waiting] = await db
      .select()
      .from(outbox)
      .where(eq(outbox.conversationId, conversationId))
      .orderBy(asc(outbox.id));
    assert.equal(waiting?.status, 'pending', 'still in the outbox');
    assert.equal(waiting?.attempts, 1);

    const connection = await Connection.connect({ address });
    after(() => connection.close());
    const client = new Client({ connection });
    const back = createOutboxDispatcher({
      db,
      aisensy,
      temporal: client,
      logger,
      encryptionKeys: [],
      filingTaskQueue: taskQueue,
      now: () => new Date(clock),
    });
    clock += 10 * 60_000;
    await back.runOnce();
    await back.runOnce();
    const rows = await db.select().from(outbox).where(eq(outbox.conversationId, conversationId));
    assert.deepEqual(
      rows.map((r) => r.status),
      ['sent', 'sent'],
    );
    const handle = client.workflow.getHandle(filingWorkflowId(orderId));
    const description = await handle.describe();
    assert.equal(description.type, 'fileAnnualReturns');
    assert.equal(description.taskQueue, taskQueue);
    let runs = 0;
    for await (const _ of client.workflow.list({ query: `WorkflowId = '${filingWorkflowId(orderId)}'` }))
      runs++;
    assert.equal(runs, 1, 'one workflow run for the order');
    assert.equal((await db.select().from(filings).where(eq(filings.orderId, orderId))).length, 1);
    const [filing] = await db.select().from(orders).where(eq(orders.id, orderId));
    assert.equal(filing?.status, 'filing');
    await handle.terminate('test over');
  });

  it('starts a paid filing even while a message ahead of it in the chat waits for AiSensy to recover', async () => {
    const { db, conversationId, orderId } = await paidOrderWorld('+27828880002', 'AR-TESTBEHIND');
    // A reply that failed and waits for its retry, queued before the filing's start.
    await db.insert(outbox).values({
      conversationId,
      kind: 'whatsapp.send',
      payload: { phone: '+27828880002', userName: 'Thandi', message: { kind: 'text', text: 'Paid!' } },
      attempts: 3,
      nextAttemptAt: new Date(Date.now() + 3_600_000),
      lastError: 'AiSensy answered 503',
    });
    await db.insert(outbox).values({ conversationId, kind: 'temporal.startFiling', payload: { orderId } });
    const connection = await Connection.connect({ address: address as string });
    after(() => connection.close());
    const client = new Client({ connection });
    const dispatcher = createOutboxDispatcher({
      db,
      aisensy: createAisensyClient(testConfig.aisensy),
      temporal: client,
      logger: pino({ level: 'silent' }),
      encryptionKeys: [],
      filingTaskQueue: `behind-${randomUUID()}`,
    });
    await dispatcher.runOnce();
    const rows = await db
      .select()
      .from(outbox)
      .where(eq(outbox.conversationId, conversationId))
      .orderBy(asc(outbox.id));
    assert.deepEqual(
      rows.map((r) => [r.kind, r.status]),
      [
        ['whatsapp.send', 'pending'],
        ['temporal.startFiling', 'sent'],
      ],
    );
    const handle = client.workflow.getHandle(filingWorkflowId(orderId));
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.terminate('test over');
  });
});
