import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { readHistoryFile } from './testing/read-history-file.js';

const HISTORIES = new URL('./histories/', import.meta.url);

/** The recorded histories (scripts/record-workflow-histories.ts): workflows in flight at a deploy. */
async function recordedHistories() {
  const files = (await readdir(HISTORIES)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: await readHistoryFile(new URL(file, HISTORIES)),
    })),
  );
}

async function replay(workflowsModule: string) {
  const workflowsPath = fileURLToPath(new URL(workflowsModule, import.meta.url));
  const results = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath }, await recordedHistories())) {
    results.push(result);
  }
  return results;
}

describe('recorded workflow histories', () => {
  it('include a finished filing, filings that waited for a person and what the person did, and lookups', async () => {
    const names = (await recordedHistories()).map((h) => h.workflowId);
    for (const name of [
      'file-annual-returns-completed',
      'file-annual-returns-waited-for-person',
      'file-annual-returns-captcha-typed',
      'file-annual-returns-filed-by-hand',
      'file-annual-returns-cancelled',
      'lookup-found',
    ]) {
      assert.ok(names.includes(name), name);
    }
  });

  it('replay against today’s workflows: a deploy does not break a running filing or lookup', async () => {
    const results = await replay('./index.ts');
    assert.ok(results.length >= 4);
    for (const { workflowId, error } of results) assert.equal(error, undefined, `${workflowId}: ${error}`);
  });

  it('fail against workflows changed without patched()', async () => {
    const results = await replay('./testing/incompatible-workflows.ts');
    assert.ok(results.length >= 4);
    for (const { workflowId, error } of results) {
      assert.ok(error instanceof DeterminismViolationError, `${workflowId} replayed: ${error}`);
    }
  });
});
