import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { conversations, outbox } from '../../db/schema.js';
import { createTestDatabase } from '../../db/test-database.js';
import { FILE_ANNUAL_RETURNS_WORKFLOW, FILING_SIGNALS } from '../../flows/filing/file-annual-returns.js';
import { createAisensyClient } from '../aisensy/create-aisensy-client.js';
import { testConfig } from '../testing/build-test-app.js';
import { insertConversation } from '../testing/insert-conversation.js';
import { createOutboxDispatcher } from './create-outbox-dispatcher.js';
import { outboxRow } from './outbox-row.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;

describe('signalling a workflow from the outbox', { skip: !address && 'no TEST_TEMPORAL_ADDRESS' }, () => {
  it('delivers the signal with its arguments, and asks a person when the workflow has ended', async () => {
    const database = await createTestDatabase();
    after(() => database.close());
    const { db } = database;
    const connection = await Connection.connect({ address });
    after(() => connection.close());
    const client = new Client({ connection });
    const dispatcher = createOutboxDispatcher({
      db,
      aisensy: createAisensyClient(testConfig.aisensy),
      temporal: client,
      logger: pino({ level: 'silent' }),
      encryptionKeys: [],
    });
    // No worker polls this queue: the workflow stays running and its history shows what reached it.
    const running = await client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: `no-worker-${randomUUID()}`,
      workflowId: `signal-test-${randomUUID()}`,
      args: [],
    });
    after(() => running.terminate('test over').catch(() => {}));
    const ended = await client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: `no-worker-${randomUUID()}`,
      workflowId: `signal-test-${randomUUID()}`,
      args: [],
    });
    await ended.terminate('ended before the answer');

    const answered = await insertConversation(db, '+27828880101');
    const tooLate = await insertConversation(db, '+27828880102');
    const answer = { arReferences: ['AR20260000001'], by: 'agent-1' };
    await db.insert(outbox).values([
      outboxRow(answered, 'temporal.signal', {
        workflowId: running.workflowId,
        signal: FILING_SIGNALS.markFiledManually,
        args: [answer],
      }),
      outboxRow(tooLate, 'temporal.signal', {
        workflowId: ended.workflowId,
        signal: FILING_SIGNALS.retryNow,
        args: [],
      }),
    ]);
    await dispatcher.runOnce();

    const [sent] = await db.select().from(outbox).where(eq(outbox.conversationId, answered));
    assert.equal(sent?.status, 'sent');
    const { events } = await running.fetchHistory();
    const signalled = events?.find((event) => event.workflowExecutionSignaledEventAttributes);
    assert.equal(signalled?.workflowExecutionSignaledEventAttributes?.signalName, 'markFiledManually');
    const payload = signalled?.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
    assert.deepEqual(JSON.parse(Buffer.from(payload ?? []).toString()), answer);

    const [failed] = await db.select().from(outbox).where(eq(outbox.conversationId, tooLate));
    assert.equal(failed?.status, 'failed', 'an ended workflow cannot be answered: not retried');
    assert.match(failed?.lastError ?? '', /has ended or does not exist/);
    const [flagged] = await db.select().from(conversations).where(eq(conversations.id, tooLate));
    assert.match(flagged?.needsAgent ?? '', /could not temporal\.signal/);
  });
});
