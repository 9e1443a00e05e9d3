import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { WORKER_CANARY_WORKFLOW } from '../flows/filing/worker-canary.js';
import { freePort } from './free-port.js';
import { healthWithin, type LaunchedScript, launchScript } from './launch-script.js';
import { findTemporalCli } from './temporal-dev-server.js';

function launch(env: NodeJS.ProcessEnv): LaunchedScript {
  return launchScript('scripts/start.ts', {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    ...env,
  });
}

function processesUsing(dataDir: string): string {
  try {
    return execFileSync('pgrep', ['-af', dataDir]).toString();
  } catch {
    return '';
  }
}

describe('npm start (the launcher)', { skip: !findTemporalCli() && 'no temporal CLI' }, () => {
  it('brings health to 200, stops cleanly on SIGINT and SIGTERM, and finds its data again', async () => {
    const dataDir = await mkdtemp(`${tmpdir()}/cipc-start-`);
    after(() => rm(dataDir, { recursive: true, force: true }));
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_ADDRESS: '',
      DATABASE_URL: '',
    };
    const health = `http://127.0.0.1:${env.PORT}/api/v1/health`;
    const workflowId = `canary-${randomUUID()}`;

    const first = launch(env);
    after(() => first.child.kill('SIGKILL'));
    const up = await healthWithin(health, 60_000);
    assert.equal(up.status, 200, `health: ${JSON.stringify(up.body)}\n${first.output()}`);
    assert.match(first.output(), /CIPC Agent is running/);
    const connection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_DEV_PORT}` });
    await new Client({ connection }).workflow.execute(WORKER_CANARY_WORKFLOW, {
      taskQueue: 'filing',
      workflowId,
      args: ['kept'],
    });
    await connection.close();
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0, first.output());
    assert.equal(processesUsing(dataDir), '', 'no process (such as temporal) is left behind');

    const second = launch(env);
    after(() => second.child.kill('SIGKILL'));
    assert.equal((await healthWithin(health, 60_000)).status, 200, second.output());
    const again = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_DEV_PORT}` });
    const result = await new Client({ connection: again }).workflow.getHandle(workflowId).result();
    await again.close();
    assert.equal(result.echo, 'kept', 'the workflow history of the first run is still there');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.output());
    assert.equal(processesUsing(dataDir), '');
  });

  it('exits non-zero naming the variable when the configuration is invalid, starting nothing', async () => {
    const dataDir = await mkdtemp(`${tmpdir()}/cipc-start-`);
    after(() => rm(dataDir, { recursive: true, force: true }));
    const run = launch({ DATA_DIR: dataDir, PORT: 'eighty' });
    assert.equal(await run.exited, 78);
    assert.match(run.output(), /PORT must be a port number from 1 to 65535 \(got "eighty"\)/);
    assert.equal(processesUsing(dataDir), '');
  });
});
