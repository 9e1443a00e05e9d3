import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sweepAuditTrail } from './sweep-audit-trail.js';

describe('audit trail retention', () => {
  it('deletes the folders of filings older than the retention period and keeps the rest', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'audit-'));
    try {
      const now = Date.now();
      for (const [orderId, ageDays] of [
        ['old', 100],
        ['recent', 10],
      ] as const) {
        const dir = join(dataDir, 'audit', orderId);
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'step.png'), 'x');
        const when = new Date(now - ageDays * 86_400_000);
        await utimes(dir, when, when);
      }
      assert.deepEqual(await sweepAuditTrail(dataDir, 90 * 86_400_000, now), ['old']);
      assert.deepEqual(await readdir(join(dataDir, 'audit')), ['recent']);
      assert.deepEqual(await sweepAuditTrail(join(dataDir, 'missing'), 1, now), []);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
