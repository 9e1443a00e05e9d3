import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pino from 'pino';
import { type RunningFilingWorker, startFilingWorker } from '../filing-worker/start-filing-worker.js';
import { createFilingTestWorld, type FilingTestWorld } from '../filing-worker/testing/filing-test-world.js';
import { WORKER_CANARY_WORKFLOW, type WorkerCanaryResult } from '../flows/filing/worker-canary.js';

const run = promisify(execFile);
const address = process.env.TEST_TEMPORAL_ADDRESS;

/** What the worker image does at build time, and what its worker then loads (WORKFLOW_BUNDLE_PATH). */
describe('npm run bundle:workflows and a worker on the bundle', {
  skip: !address && 'no TEST_TEMPORAL_ADDRESS',
}, () => {
  let dir: string;
  let bundle: string;
  let world: FilingTestWorld;
  let worker: RunningFilingWorker | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cipc-workflow-bundle-'));
    bundle = join(dir, 'nested', 'workflow-bundle.js');
    await run(process.execPath, ['--import', 'tsx', 'scripts/bundle-workflows.ts', bundle], {
      cwd: new URL('..', import.meta.url),
    });
    world = await createFilingTestWorld();
  });
  after(async () => {
    await worker?.stop();
    await world?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the bundle where it is told', async () => {
    assert.ok((await stat(bundle)).size > 100_000, 'webpack output, not an empty file');
  });

  it('runs workflows from the prebuilt bundle', async () => {
    worker = await startFilingWorker({
      temporalAddress: address as string,
      namespace: 'default',
      taskQueue: world.taskQueue,
      config: world.config,
      db: world.db,
      logger: pino({ level: 'silent' }),
      workflowBundlePath: bundle,
    });
    const result = await world.client.workflow.execute<(echo: string) => Promise<WorkerCanaryResult>>(
      WORKER_CANARY_WORKFLOW,
      { taskQueue: world.taskQueue, workflowId: `canary-${randomUUID()}`, args: ['from the bundle'] },
    );
    assert.equal(result.echo, 'from the bundle');
  });

  it('refuses a bundle that is not there (the worker does not fall back to bundling at start)', async () => {
    await assert.rejects(
      startFilingWorker({
        temporalAddress: address as string,
        namespace: 'default',
        taskQueue: `${world.taskQueue}-missing`,
        config: world.config,
        db: world.db,
        logger: pino({ level: 'silent' }),
        workflowBundlePath: join(dir, 'missing.js'),
      }),
    );
  });
});
