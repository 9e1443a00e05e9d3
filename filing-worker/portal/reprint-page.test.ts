import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { launchTestChromium } from '../../config/testing/launch-test-chromium.js';
import { collectUnhandledRejections } from '../testing/collect-unhandled-rejections.js';
import { downloadCertificate } from './reprint-page.js';

describe('downloadCertificate when the year has no certificate link', () => {
  it('fails the call and leaves no unhandled rejection behind (one would end the worker process)', async () => {
    const browser = await launchTestChromium();
    after(() => browser.close());
    const unhandled = collectUnhandledRejections();
    const page = await browser.newPage();
    await page.setContent('<h1>Annual return certificates</h1><p>No certificates on record.</p>');
    // Short only for the wait under test: loading the page itself may take longer on a busy machine.
    page.setDefaultTimeout(500);
    await assert.rejects(downloadCertificate(page, 2024), /Timeout/);
    // The pending wait for the download rejects when its page goes away.
    await page.close();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(unhandled, []);
  });
});
