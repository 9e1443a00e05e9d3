import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { runChaos, SHORT } from './chaos/run-chaos.js';
import { findTemporalCli } from './temporal-dev-server.js';

function canRunCluster(): boolean {
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'initdb', '--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

describe('the fault suite, short form', {
  skip: (!findTemporalCli() || !canRunCluster()) && 'needs root, initdb/pg_ctl and the Temporal CLI',
}, () => {
  it('keeps every invariant through each fault', async () => {
    // Quiet unless a scenario fails: then the services' last output says what they were doing.
    const lines: string[] = [];
    const rows = await runChaos(SHORT, (line) => lines.push(line));
    console.table(rows);
    assert.deepEqual(
      rows.filter((row) => !row.passed),
      [],
      lines.filter((line) => line.startsWith('last output')).join('\n'),
    );
    assert.equal(rows.length, 5, 'every scenario of the short form ran');
  });
});
