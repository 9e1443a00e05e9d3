import type { Logger } from 'pino';
import { type Browser, type BrowserContext, chromium } from 'playwright';
import { CHROMIUM_ARGS } from '../../config/chromium-args.js';

export interface BrowserPoolOptions {
  executablePath: string;
  /** A fresh browser after this many filing contexts: long-lived Chromium processes grow. */
  restartAfter?: number;
  /** Where a failure to close a browser goes (default: the console). */
  logger?: Logger;
}

/** What the pool has done so far: for the benchmark and tests, and to check a worker's footprint. */
export interface BrowserPoolStats {
  browsersLaunched: number;
  contextsOpen: number;
  /** The most contexts open at once since the pool started. */
  peakContextsOpen: number;
}

/** One launched (or launching) Chromium and the contexts it has handed out. */
interface Slot {
  browser: Promise<Browser>;
  handedOut: number;
  /** Contexts open or being opened on this browser: it is closed when retired and this reaches 0. */
  open: number;
  /** False once the launch failed or Chromium went away (crash, killed): no context can come from it. */
  usable: boolean;
}

/**
 * One Chromium per worker process, launched on first use, handing out one context per portal visit.
 * After `restartAfter` contexts, or once Chromium has crashed, the next context comes from a new browser;
 * the old one closes when its last context does.
 */
export function createBrowserPool(options: BrowserPoolOptions) {
  const restartAfter = options.restartAfter ?? 50;
  let current: Slot | undefined;
  const retired = new Set<Slot>();
  const stats: BrowserPoolStats = { browsersLaunched: 0, contextsOpen: 0, peakContextsOpen: 0 };

  function launch(): Slot {
    const slot: Slot = {
      browser: chromium.launch({ executablePath: options.executablePath, args: [...CHROMIUM_ARGS] }),
      handedOut: 0,
      open: 0,
      usable: true,
    };
    slot.browser.then(
      (browser) => browser.once('disconnected', () => (slot.usable = false)),
      () => (slot.usable = false),
    );
    stats.browsersLaunched += 1;
    return slot;
  }

  /**
   * Never rejects: it runs detached from any filing, where a rejection would be unhandled and end the
   * worker process. A launch that failed has nothing to close (its caller already saw the error).
   */
  function closeBrowser(slot: Slot): Promise<void> {
    return slot.browser.then(
      (browser) =>
        browser.close().catch((err: unknown) => {
          if (options.logger) options.logger.warn({ err }, 'could not close a Chromium');
          else console.warn('could not close a Chromium', err);
        }),
      () => {},
    );
  }

  function retire(slot: Slot): void {
    if (slot.open === 0) void closeBrowser(slot);
    else retired.add(slot);
  }

  /** A context of `slot` closed, or failed to open. */
  function release(slot: Slot): void {
    slot.open -= 1;
    if (slot.open === 0 && retired.delete(slot)) void closeBrowser(slot);
  }

  return {
    async newContext(): Promise<BrowserContext> {
      if (!current || current.handedOut >= restartAfter || !current.usable) {
        if (current) retire(current);
        current = launch();
      }
      const slot = current;
      slot.handedOut += 1;
      slot.open += 1;
      let context: BrowserContext;
      try {
        const browser = await slot.browser;
        context = await browser.newContext({ acceptDownloads: true });
      } catch (err) {
        release(slot);
        throw err;
      }
      stats.contextsOpen += 1;
      stats.peakContextsOpen = Math.max(stats.peakContextsOpen, stats.contextsOpen);
      context.once('close', () => {
        stats.contextsOpen -= 1;
        release(slot);
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
      await Promise.all(all.map(closeBrowser));
    },
  };
}
export type BrowserPool = ReturnType<typeof createBrowserPool>;
