import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Deletes the audit folders of filings last touched before `now - retentionMs`; returns their ids. */
export async function sweepAuditTrail(
  dataDir: string,
  retentionMs: number,
  now = Date.now(),
): Promise<string[]> {
  const root = join(dataDir, 'audit');
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const path = join(root, entry.name);
    if ((await stat(path)).mtimeMs < now - retentionMs) {
      await rm(path, { recursive: true, force: true });
      removed.push(entry.name);
    }
  }
  return removed;
}
