import type { Page } from 'playwright';
import type { BrowserPool } from './browser-pool.js';

export interface PortalPageOptions {
  pool: BrowserPool;
  /** Every request the page makes to the portal passes through this (the portal-wide rate limit). */
  schedule: <T>(task: () => Promise<T>) => Promise<T>;
  /** Playwright's timeout for one action or navigation: a lookup's owner is waiting in the chat. */
  actionTimeoutMs?: number;
}

/**
 * A page in a context of its own for one short public visit (the enterprise search): no login, no
 * personal data, so no audit trace. The context keeps every cookie the portal sets, and is closed after.
 */
export async function withPortalPage<T>(
  options: PortalPageOptions,
  use: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await options.pool.newContext();
  try {
    context.setDefaultTimeout(options.actionTimeoutMs ?? 10_000);
    await context.route('**/*', (route) => options.schedule(() => route.continue()));
    return await use(await context.newPage());
  } finally {
    await context.close().catch(() => {});
  }
}
