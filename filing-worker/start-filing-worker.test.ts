import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WORKER_CANARY_WORKFLOW, type WorkerCanaryResult } from '../flows/filing/worker-canary.js';
import { createFilingTestWorld, type FilingTestWorld } from './testing/filing-test-world.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;

describe('the filing worker on a real Temporal dev server', {
  skip: !address && 'no TEST_TEMPORAL_ADDRESS',
}, () => {
  let world: FilingTestWorld;
  before(async () => {
    world = await createFilingTestWorld();
    await world.startWorker();
  });
  after(() => world?.close());

  it('runs a workflow and its activity round trip', async () => {
    const result = await world.client.workflow.execute<(echo: string) => Promise<WorkerCanaryResult>>(
      WORKER_CANARY_WORKFLOW,
      { taskQueue: world.taskQueue, workflowId: `canary-${randomUUID()}`, args: ['ping'] },
    );
    assert.equal(result.echo, 'ping');
    assert.equal(result.workerIdentity, `${world.taskQueue}@${process.pid}`);
    assert.match(result.version, /^\d+\.\d+\.\d+/);
  });
});
