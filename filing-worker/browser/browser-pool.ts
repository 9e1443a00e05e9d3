import { type Browser, type BrowserContext, chromium } from 'playwright';

export interface BrowserPoolOptions {
  executablePath: string;
  /** A fresh browser after this many filing contexts: long-lived Chromium processes grow. */
  restartAfter?: number;
}

/** What the pool has done so far: for the benchmark and tests, and to check a worker's footprint. */
export interface BrowserPoolStats {
  browsersLaunched: number;
  contextsOpen: number;
  /** The most contexts open at once since the pool started. */
  peakContextsOpen: number;
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * One Chromium per worker process, launched on first use, handing out one context per portal visit.
 * After `restartAfter` contexts the next one comes from a new browser; the old one closes when its last
 * context does.
 */
export function createBrowserPool(options: BrowserPoolOptions) {
  const restartAfter = options.restartAfter ?? 50;
  let current: { browser: Promise<Browser>; handedOut: number; open: number } | undefined;
  const retired = new Set<{ browser: Promise<Browser>; open: number }>();
  const stats: BrowserPoolStats = { browsersLaunched: 0, contextsOpen: 0, peakContextsOpen: 0 };

  return {
    async newContext(): Promise<BrowserContext> {
      if (!current || current.handedOut >= restartAfter) {
        if (current) retired.add(current);
        current = {
          browser: chromium.launch({ executablePath: options.executablePath, args: ARGS }),
          handedOut: 0,
          open: 0,
        };
        stats.browsersLaunched += 1;
      }
      const slot = current;
      slot.handedOut += 1;
      slot.open += 1;
      const browser = await slot.browser;
      const context = await browser.newContext({ acceptDownloads: true });
      stats.contextsOpen += 1;
      stats.peakContextsOpen = Math.max(stats.peakContextsOpen, stats.contextsOpen);
      context.once('close', () => {
        stats.contextsOpen -= 1;
        slot.open -= 1;
        if (slot !== current && slot.open === 0) {
          retired.delete(slot);
          void browser.close();
        }
      });
      return context;
    },
    stats(): BrowserPoolStats {
      return { ...stats };
    },
    async close(): Promise<void> {
      const all = [...retired, ...(current ? [current] : [])];
      current = undefined;
      retired.clear();
      await Promise.all(all.map(async (slot) => (await slot.browser).close().catch(() => {})));
    },
  };
}
export type BrowserPool = ReturnType<typeof createBrowserPool>;
