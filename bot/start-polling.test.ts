import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startPolling } from './start-polling.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startPolling', () => {
  it('runs again after a failing pass, never two passes at once, and stop waits for the pass under way', async () => {
    let passes = 0;
    let concurrent = 0;
    let mostConcurrent = 0;
    const errors: unknown[] = [];
    let finishedPasses = 0;
    const polling = startPolling(
      async () => {
        passes++;
        concurrent++;
        mostConcurrent = Math.max(mostConcurrent, concurrent);
        await sleep(15);
        concurrent--;
        finishedPasses++;
        if (passes === 1) throw new Error('first pass fails');
      },
      1,
      (err) => errors.push(err),
    );
    while (passes < 3) await sleep(5);
    await polling.stop();
    assert.equal(finishedPasses, passes, 'stop returned only after the pass under way had finished');
    const stoppedAt = passes;
    await sleep(40);
    assert.equal(passes, stoppedAt, 'no pass after stop');
    assert.equal(mostConcurrent, 1);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['first pass fails'],
    );
  });
});
