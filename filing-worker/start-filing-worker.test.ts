import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { WORKER_CANARY_WORKFLOW, type WorkerCanaryResult } from '../flows/filing/worker-canary.js';
import { startFilingWorker } from './start-filing-worker.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;

describe('the filing worker on a real Temporal dev server', {
  skip: !address && 'no TEST_TEMPORAL_ADDRESS',
}, () => {
  it('runs a workflow and its activity round trip', async () => {
    const taskQueue = `test-${randomUUID()}`;
    const running = await startFilingWorker({
      temporalAddress: address as string,
      namespace: 'default',
      taskQueue,
    });
    const connection = await Connection.connect({ address });
    after(async () => {
      await running.stop();
      await connection.close();
    });
    const client = new Client({ connection });
    const result = await client.workflow.execute<(echo: string) => Promise<WorkerCanaryResult>>(
      WORKER_CANARY_WORKFLOW,
      {
        taskQueue,
        workflowId: `canary-${randomUUID()}`,
        args: ['ping'],
      },
    );
    assert.equal(result.echo, 'ping');
    assert.equal(result.workerIdentity, `${taskQueue}@${process.pid}`);
    assert.match(result.version, /^\d+\.\d+\.\d+/);
  });
});
