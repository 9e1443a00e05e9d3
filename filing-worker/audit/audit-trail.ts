import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright';

/**
 * The audit trail of one filing under `DATA_DIR/audit/<orderId>/`: a screenshot per step and a Playwright
 * trace per browser session. They show personal data, so the folder is 0700, every file 0600, and
 * `sweepAuditTrail` deletes filings older than the retention period.
 */
export function auditTrail(dataDir: string, orderId: string) {
  const dir = join(dataDir, 'audit', orderId);
  let counter = 0;
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
  const ensureDir = () => mkdir(dir, { recursive: true, mode: 0o700 });
  return {
    dir,
    async startTrace(context: BrowserContext): Promise<void> {
      await context.tracing.start({ screenshots: true, snapshots: true });
    },
    async stopTrace(context: BrowserContext): Promise<string> {
      await ensureDir();
      const path = join(dir, `trace-${stamp()}.zip`);
      await context.tracing.stop({ path });
      await chmod(path, 0o600);
      return path;
    },
    async screenshot(page: Page, step: string): Promise<string> {
      await ensureDir();
      counter += 1;
      const path = join(dir, `${stamp()}-${String(counter).padStart(3, '0')}-${step}.png`);
      await page.screenshot({ path });
      await chmod(path, 0o600);
      return path;
    },
    async saveFile(name: string, bytes: Buffer): Promise<string> {
      await ensureDir();
      const path = join(dir, name);
      await writeFile(path, bytes, { mode: 0o600 });
      return path;
    },
  };
}
export type AuditTrail = ReturnType<typeof auditTrail>;
