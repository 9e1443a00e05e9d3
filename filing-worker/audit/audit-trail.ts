import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright';
import { sealBytes } from '../../db/seal-bytes.js';
import type { KeyRing } from '../../db/seal-json.js';

/** What a sealed artefact's name ends with: `npx tsx scripts/open-artefact.ts <file>` opens it. */
export const SEALED_SUFFIX = '.sealed';

/**
 * The audit trail of one filing under `DATA_DIR/audit/<orderId>/`: a screenshot per step and a Playwright
 * trace per browser session. They show ID numbers and FAS details, so both are sealed with the newest key
 * (`sealBytes`: `<step>.png.sealed`, `trace-<time>.zip.sealed`), the folder is 0700, every file 0600, and
 * `sweepAuditTrail` deletes filings older than the retention period. Playwright can only write a trace to
 * a path: it lands beside the sealed file under a dot-name, 0600, for the moment it takes to seal it.
 */
export function auditTrail(dataDir: string, orderId: string, keys: KeyRing) {
  const dir = join(dataDir, 'audit', orderId);
  let counter = 0;
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
  const ensureDir = () => mkdir(dir, { recursive: true, mode: 0o700 });
  const writeSealed = async (name: string, bytes: Buffer): Promise<string> => {
    const path = join(dir, `${name}${SEALED_SUFFIX}`);
    await writeFile(path, sealBytes(bytes, keys), { mode: 0o600 });
    return path;
  };
  return {
    dir,
    async startTrace(context: BrowserContext): Promise<void> {
      await context.tracing.start({ screenshots: true, snapshots: true });
    },
    async stopTrace(context: BrowserContext): Promise<string> {
      await ensureDir();
      const name = `trace-${stamp()}.zip`;
      const plain = join(dir, `.${name}.partial`);
      try {
        await context.tracing.stop({ path: plain });
        await chmod(plain, 0o600);
        return await writeSealed(name, await readFile(plain));
      } finally {
        await rm(plain, { force: true });
      }
    },
    async screenshot(page: Page, step: string): Promise<string> {
      await ensureDir();
      counter += 1;
      return writeSealed(
        `${stamp()}-${String(counter).padStart(3, '0')}-${step}.png`,
        await page.screenshot(),
      );
    },
    /** A file kept as it is: the portal's security-code image (no personal data) a person reads by eye. */
    async saveFile(name: string, bytes: Buffer): Promise<string> {
      await ensureDir();
      const path = join(dir, name);
      await writeFile(path, bytes, { mode: 0o600 });
      return path;
    },
  };
}
export type AuditTrail = ReturnType<typeof auditTrail>;
