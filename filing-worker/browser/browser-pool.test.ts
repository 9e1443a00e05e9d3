import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Browser } from 'playwright';
import { createBrowserPool } from './browser-pool.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether `browser` is gone within `ms` (a retired browser the pool forgot would stay). */
function disconnectsWithin(browser: Browser, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (!browser.isConnected()) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    browser.once('disconnected', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Kills Chromium's browser process the way a crash or the OOM killer would. */
async function crash(browser: Browser): Promise<void> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  const main = processInfo.find((info) => info.type === 'browser');
  assert.ok(main, 'Chromium reports its browser process');
  const gone = disconnectsWithin(browser, 10_000);
  process.kill(main.id, 'SIGKILL');
  assert.ok(await gone, 'the killed Chromium disconnects');
}

describe('createBrowserPool', () => {
  const pool = createBrowserPool({ executablePath, restartAfter: 2 });
  after(() => pool.close());

  it('hands out the third context from a new Chromium and closes the old one with its last context', async () => {
    const first = await pool.newContext();
    const second = await pool.newContext();
    const third = await pool.newContext();
    const oldBrowser = first.browser();
    assert.ok(oldBrowser);
    assert.equal(second.browser(), oldBrowser);
    assert.notEqual(third.browser(), oldBrowser);
    assert.deepEqual(pool.stats(), { browsersLaunched: 2, contextsOpen: 3, peakContextsOpen: 3 });

    await first.close();
    assert.ok(oldBrowser.isConnected(), 'a context of the old browser is still open');
    const gone = new Promise((resolve) => oldBrowser.once('disconnected', resolve));
    await second.close();
    await gone;
    assert.ok(third.browser()?.isConnected());

    const fourth = await pool.newContext();
    assert.equal(fourth.browser(), third.browser());
    await Promise.all([third.close(), fourth.close()]);
    assert.deepEqual(pool.stats(), { browsersLaunched: 2, contextsOpen: 0, peakContextsOpen: 3 });
  });

  it('closes a browser retired after all its contexts had closed', async () => {
    const sequential = createBrowserPool({ executablePath, restartAfter: 1 });
    try {
      const first = await sequential.newContext();
      const oldBrowser = first.browser();
      assert.ok(oldBrowser);
      await first.close();
      const gone = disconnectsWithin(oldBrowser, 5_000);
      const second = await sequential.newContext();
      assert.notEqual(second.browser(), oldBrowser);
      assert.ok(await gone, 'the retired browser closed');
      await second.close();
    } finally {
      await sequential.close();
    }
  });

  it('logs a retired browser that fails to close, instead of an unhandled rejection that ends the worker', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const quitting = createBrowserPool({ executablePath, restartAfter: 1, logger });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const first = await quitting.newContext();
      const second = await quitting.newContext();
      const oldBrowser = first.browser();
      assert.ok(oldBrowser);
      assert.notEqual(second.browser(), oldBrowser);
      const reallyClose = oldBrowser.close.bind(oldBrowser);
      oldBrowser.close = async () => {
        throw new Error('Chromium would not close');
      };
      await first.close();
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
      assert.match(lines.join(''), /Chromium would not close/);
      await reallyClose();
      await second.close();
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await quitting.close();
    }
  });

  it('closes a retired browser with its last context even after opening a context on it failed', async () => {
    const failing = createBrowserPool({ executablePath, restartAfter: 2 });
    try {
      const first = await failing.newContext();
      const oldBrowser = first.browser();
      assert.ok(oldBrowser);
      const reallyNewContext = oldBrowser.newContext.bind(oldBrowser);
      oldBrowser.newContext = async () => {
        throw new Error('no context today');
      };
      await assert.rejects(failing.newContext(), /no context today/);
      oldBrowser.newContext = reallyNewContext;
      const third = await failing.newContext();
      assert.notEqual(third.browser(), oldBrowser);
      assert.deepEqual(failing.stats(), { browsersLaunched: 2, contextsOpen: 2, peakContextsOpen: 2 });

      const gone = disconnectsWithin(oldBrowser, 5_000);
      await first.close();
      assert.ok(await gone, 'the retired browser closed with its last open context');
      await third.close();
      assert.deepEqual(failing.stats(), { browsersLaunched: 2, contextsOpen: 0, peakContextsOpen: 2 });
    } finally {
      await failing.close();
    }
  });

  it('tries a fresh launch for the next context after a launch failed, and still closes', async () => {
    const missing = createBrowserPool({ executablePath: '/nonexistent/chromium' });
    await assert.rejects(missing.newContext());
    await assert.rejects(missing.newContext());
    assert.deepEqual(missing.stats(), { browsersLaunched: 2, contextsOpen: 0, peakContextsOpen: 0 });
    await missing.close();
  });

  it('relaunches a crashed Chromium for the next context, before the restart threshold', async () => {
    const crashing = createBrowserPool({ executablePath, restartAfter: 50 });
    try {
      const first = await crashing.newContext();
      const crashed = first.browser();
      assert.ok(crashed);
      await crash(crashed);

      const second = await crashing.newContext();
      assert.notEqual(second.browser(), crashed);
      const page = await second.newPage();
      await page.setContent('<p>filed</p>');
      assert.equal(await page.textContent('p'), 'filed');
      await second.close();
      assert.deepEqual(crashing.stats(), { browsersLaunched: 2, contextsOpen: 0, peakContextsOpen: 1 });
    } finally {
      await crashing.close();
    }
  });
});
