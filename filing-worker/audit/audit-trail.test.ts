import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Browser } from 'playwright';
import { launchTestChromium } from '../../config/testing/launch-test-chromium.js';
import { isSealedBytes, openBytes } from '../../db/seal-bytes.js';
import { auditTrail } from './audit-trail.js';

const run = promisify(execFile);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const ZIP = Buffer.from('PK\u0003\u0004', 'latin1');

describe('the audit trail of a filing', () => {
  let browser: Browser;
  let dataDir: string;
  const key = randomBytes(32);
  before(async () => {
    browser = await launchTestChromium();
    dataDir = await mkdtemp(join(tmpdir(), 'audit-trail-'));
  });
  after(async () => {
    await browser.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps screenshots and the trace sealed (not a PNG or zip to anyone who reads the disk), and they open back', async () => {
    const context = await browser.newContext();
    const audit = auditTrail(dataDir, 'order-1', [key]);
    await audit.startTrace(context);
    const page = await context.newPage();
    await page.setContent('<h1>ID 8001015009087, jane@example.co.za</h1>');
    const shot = await audit.screenshot(page, 'fas');
    const trace = await audit.stopTrace(context);
    await context.close();

    assert.match(shot, /-001-fas\.png\.sealed$/);
    assert.match(trace, /trace-.*\.zip\.sealed$/);
    assert.deepEqual((await readdir(audit.dir)).sort(), [shot, trace].map((p) => p.split('/').at(-1)).sort());
    for (const [file, magic] of [
      [shot, PNG],
      [trace, ZIP],
    ] as const) {
      const stored = await readFile(file);
      assert.ok(isSealedBytes(stored));
      assert.equal(stored.indexOf(magic), -1, `${file} holds no ${magic.toString('latin1')} in the clear`);
      assert.equal(stored.indexOf('8001015009087'), -1);
      assert.ok(
        openBytes(stored, [randomBytes(32), key])
          .subarray(0, 4)
          .equals(magic),
        'opens with the ring',
      );
      assert.equal((await stat(file)).mode & 0o777, 0o600);
    }
    const tampered = await readFile(shot);
    tampered[tampered.length - 1] = (tampered.at(-1) as number) ^ 1;
    assert.throws(() => openBytes(tampered, [key]), 'a changed byte is an error, not a wrong picture');
  });

  it('opens an artefact with npx tsx scripts/open-artefact.ts and the environment key', async () => {
    const context = await browser.newContext();
    const audit = auditTrail(dataDir, 'order-2', [key]);
    const page = await context.newPage();
    await page.setContent('<p>hello</p>');
    const shot = await audit.screenshot(page, 'step');
    await context.close();
    const out = join(dataDir, 'opened.png');
    await run(process.execPath, ['--import', 'tsx', 'scripts/open-artefact.ts', shot, out], {
      env: { ...process.env, NODE_ENV: 'development', ENCRYPTION_KEY: key.toString('hex') },
    });
    assert.ok((await readFile(out)).subarray(0, 4).equals(PNG));
  });
});
