import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { filingArtefactsDir } from '../agent/privacy/filing-artefacts-dir.js';

const DAY_MS = 86_400_000;

/**
 * Deletes the screenshots and Playwright traces of filings (DATA_DIR/audit/<orderId>/) not touched for
 * `artefactDays`: they show ID numbers and FAS details, and once a filing is that old its AR reference
 * and certificate (kept) are the record. Returns how many filings' folders went.
 */
export async function purgeFilingArtefacts(
  dataDir: string,
  options: { now: Date; artefactDays: number },
): Promise<{ purged: number }> {
  const root = filingArtefactsDir(dataDir);
  const cutoff = options.now.getTime() - options.artefactDays * DAY_MS;
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  let purged = 0;
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    const modified = await stat(dir).then(
      (found) => found.mtimeMs,
      () => undefined,
    );
    if (modified === undefined || modified >= cutoff) continue;
    await rm(dir, { recursive: true, force: true });
    purged += 1;
  }
  return { purged };
}
