import type { BrowserContext, Page } from 'playwright';
import { type AuditTrail, auditTrail } from '../audit/audit-trail.js';
import type { BrowserPool } from './browser-pool.js';

export interface PortalSession {
  orderId: string;
  context: BrowserContext;
  page: Page;
  loggedIn: boolean;
  audit: AuditTrail;
  lastUsed: number;
}

export interface PortalSessionsOptions {
  pool: BrowserPool;
  dataDir: string;
  /** Every request the browser makes to the portal passes through this (the portal-wide rate limit). */
  schedule: <T>(task: () => Promise<T>) => Promise<T>;
  /** A session no activity touched for this long is closed (its filing moved to another worker). */
  idleMs?: number;
  /** Playwright's timeout for one action or navigation. */
  actionTimeoutMs?: number;
}

/**
 * One browser context per filing, kept between that filing's activities on this worker so it logs in
 * once; traced from open to close. An activity that lands on another worker simply opens a new one.
 */
export function createPortalSessions(options: PortalSessionsOptions) {
  const sessions = new Map<string, Promise<PortalSession>>();
  const idleMs = options.idleMs ?? 15 * 60_000;

  async function open(orderId: string): Promise<PortalSession> {
    const context = await options.pool.newContext();
    context.setDefaultTimeout(options.actionTimeoutMs ?? 20_000);
    await context.route('**/*', (route) => options.schedule(() => route.continue()));
    const audit = auditTrail(options.dataDir, orderId);
    await audit.startTrace(context);
    const page = await context.newPage();
    return { orderId, context, page, loggedIn: false, audit, lastUsed: Date.now() };
  }

  async function close(orderId: string): Promise<void> {
    const pending = sessions.get(orderId);
    sessions.delete(orderId);
    const session = await pending?.catch(() => undefined);
    if (!session) return;
    await session.audit.stopTrace(session.context).catch(() => {});
    await session.context.close().catch(() => {});
  }

  const sweep = setInterval(
    () => {
      for (const [orderId, pending] of sessions) {
        void pending.then(
          (s) => (Date.now() - s.lastUsed > idleMs ? close(orderId) : undefined),
          () => {},
        );
      }
    },
    Math.min(idleMs, 60_000),
  );
  sweep.unref();

  return {
    async get(orderId: string): Promise<PortalSession> {
      let pending = sessions.get(orderId);
      if (!pending) {
        pending = open(orderId);
        sessions.set(orderId, pending);
        pending.catch(() => sessions.delete(orderId));
      }
      const session = await pending;
      if (session.page.isClosed()) {
        sessions.delete(orderId);
        await session.context.close().catch(() => {});
        return this.get(orderId);
      }
      session.lastUsed = Date.now();
      return session;
    },
    close,
    /** Cancellation: drop the browser context at once, whatever it is doing. */
    discard(orderId: string): void {
      const pending = sessions.get(orderId);
      sessions.delete(orderId);
      void pending?.then((s) => s.context.close()).catch(() => {});
    },
    async closeAll(): Promise<void> {
      clearInterval(sweep);
      await Promise.all([...sessions.keys()].map(close));
    },
  };
}
export type PortalSessions = ReturnType<typeof createPortalSessions>;
