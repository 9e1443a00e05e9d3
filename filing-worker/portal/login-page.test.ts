import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { launchTestChromium } from '../../config/testing/launch-test-chromium.js';
import { createCipcPortalSandbox } from '../../sandbox/cipc-portal/create-cipc-portal-sandbox.js';
import { collectUnhandledRejections } from '../testing/collect-unhandled-rejections.js';
import { logIn, type SecurityCode } from './login-page.js';

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

describe('logIn', () => {
  it('asks for a case-sensitive reading of the security code, and says the reading was right', async () => {
    const portal = createCipcPortalSandbox();
    const app = Fastify();
    await app.register(portal.plugin, { prefix: '/cipc' });
    const portalUrl = `${await app.listen({ host: '127.0.0.1', port: 0 })}/cipc`;
    const browser = await launchTestChromium();
    after(async () => {
      await browser.close();
      await app.close();
    });
    const page = await browser.newPage();
    const asked: SecurityCode[] = [];
    const verdicts: string[] = [];
    await logIn(page, {
      portalUrl,
      customerCode: 'SANDBOX1',
      password: 'Sandbox#2026',
      readCaptcha: async (image, code) => {
        asked.push(code);
        return {
          text: portal.control.captchaAnswerFor(image) ?? '',
          wrong: async () => void verdicts.push('wrong'),
          right: async () => void verdicts.push('right'),
        };
      },
    });
    assert.deepEqual(asked, [{ caseSensitive: true }]);
    assert.deepEqual(verdicts, ['right']);
    assert.doesNotMatch(page.url(), /Login\.aspx/i);
  });
});
