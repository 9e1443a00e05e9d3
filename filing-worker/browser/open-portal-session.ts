import type { BrowserContext, Page } from 'playwright';
import type { KeyRing } from '../../db/seal-json.js';
import { type AuditTrail, auditTrail } from '../audit/audit-trail.js';
import type { BrowserPool } from './browser-pool.js';

export interface PortalSession {
  context: BrowserContext;
  page: Page;
  audit: AuditTrail;
  /** Writes the trace to the audit trail and closes the context; safe to call again. */
  close(): Promise<void>;
}

export interface PortalSessionOptions {
  pool: BrowserPool;
  dataDir: string;
  /** Seals the screenshots and trace (newest key first). */
  encryptionKeys: KeyRing;
  /** Every request the browser makes to the portal passes through this (the portal-wide rate limit). */
  schedule: <T>(task: () => Promise<T>) => Promise<T>;
  /** Playwright's timeout for one action or navigation. */
  actionTimeoutMs?: number;
}

/**
 * A browser context for one visit to the portal by one filing, traced from open to close. Nothing keeps
 * it afterwards: the activity that opened it closes it, so a worker holds at most as many contexts as it
 * runs activities.
 */
export async function openPortalSession(
  options: PortalSessionOptions,
  orderId: string,
): Promise<PortalSession> {
  const context = await options.pool.newContext();
  try {
    context.setDefaultTimeout(options.actionTimeoutMs ?? 20_000);
    await context.route('**/*', (route) => options.schedule(() => route.continue()));
    const audit = auditTrail(options.dataDir, orderId, options.encryptionKeys);
    await audit.startTrace(context);
    const page = await context.newPage();
    let closing: Promise<void> | undefined;
    return {
      context,
      page,
      audit,
      close() {
        closing ??= (async () => {
          await audit.stopTrace(context).catch(() => {});
          await context.close().catch(() => {});
        })();
        return closing;
      },
    };
  } catch (err) {
    await context.close().catch(() => {});
    throw err;
  }
}
