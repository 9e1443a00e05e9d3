import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createBrowserPool } from './browser-pool.js';

describe('createBrowserPool', () => {
  const pool = createBrowserPool({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    restartAfter: 2,
  });
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
});
