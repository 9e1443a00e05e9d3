import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { launchTestChromium } from '../../config/testing/launch-test-chromium.js';
import { collectUnhandledRejections } from '../testing/collect-unhandled-rejections.js';
import { logIn } from './login-page.js';

describe('logIn when the portal cannot be reached', () => {
  it('fails the call and leaves no unhandled rejection behind (one would end the worker process)', async () => {
    const browser = await launchTestChromium();
    after(() => browser.close());
    const unhandled = collectUnhandledRejections();
    const page = await browser.newPage();
    await assert.rejects(
      logIn(page, {
        portalUrl: 'http://127.0.0.1:1',
        customerCode: 'X',
        password: 'y',
        readCaptcha: async () => assert.fail('no captcha can be served'),
      }),
    );
    // The pending wait for the captcha image rejects when its page goes away.
    await page.close();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(unhandled, []);
  });
});
