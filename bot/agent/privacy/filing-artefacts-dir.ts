import { join } from 'node:path';

/**
 * Where the filing worker keeps one order's screenshots and Playwright trace (its `auditTrail`,
 * filing-worker/audit/audit-trail.ts: bot/ may not import it, so the convention is restated here).
 */
export function filingArtefactsDir(dataDir: string, orderId?: string): string {
  return orderId ? join(dataDir, 'audit', orderId) : join(dataDir, 'audit');
}
