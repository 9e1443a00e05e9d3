import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import {
  type CipcPortalControl,
  createCipcPortalSandbox,
} from '../sandbox/cipc-portal/create-cipc-portal-sandbox.js';
import {
  compareFingerprints,
  type PortalFingerprint,
  runPortalCanary,
} from './portal-canary/run-portal-canary.js';

const stored = async () =>
  JSON.parse(
    await readFile(new URL('./portal-canary/fingerprint.json', import.meta.url), 'utf8'),
  ) as PortalFingerprint;

/** `npm run portal:canary` as a scheduler runs it: exit code, report and the metrics textfile. */
async function runCli(portalUrl: string, metricsFile: string) {
  try {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'scripts/portal-canary.ts', '--metrics-file', metricsFile],
      { env: { ...process.env, CIPC_PORTAL_URL: portalUrl } },
    );
    return { code: 0, stdout };
  } catch (err) {
    const failed = err as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe('portal drift canary', () => {
  let control: CipcPortalControl;
  let portalUrl: string;
  let dir: string;
  const app = Fastify();

  before(async () => {
    const portal = createCipcPortalSandbox();
    control = portal.control;
    await app.register(portal.plugin, { prefix: '/cipc' });
    portalUrl = `${await app.listen({ host: '127.0.0.1', port: 0 })}/cipc`;
    dir = await mkdtemp(join(tmpdir(), 'portal-canary-'));
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the simulator as the stored fingerprint has it, whichever enterprise it searches', async () => {
    for (const enterpriseNumber of ['2019/123456/07', '2008/765432/23']) {
      const pages = await runPortalCanary({ portalUrl, enterpriseNumber });
      assert.deepEqual(compareFingerprints((await stored()).pages, pages), []);
    }
    const cli = await runCli(portalUrl, join(dir, 'same.prom'));
    assert.equal(cli.code, 0, cli.stdout);
    assert.match(await readFile(join(dir, 'same.prom'), 'utf8'), /^cipc_portal_drift_pages 0$/m);
  });

  it('exits non-zero naming the renamed field when a page changed, and says so in the metric', async () => {
    control.renameControl('txtSearchCIPC', 'txtSearchText');
    try {
      const drift = compareFingerprints(
        (await stored()).pages,
        await runPortalCanary({ portalUrl, enterpriseNumber: '2019/123456/07' }),
      );
      const searchForm = drift.find((d) => d.page === 'searchForm');
      assert.ok(searchForm?.removed.some((line) => line.includes('txtSearchCIPC')));
      assert.ok(searchForm?.added.some((line) => line.includes('txtSearchText')));
      const cli = await runCli(portalUrl, join(dir, 'changed.prom'));
      assert.equal(cli.code, 1);
      assert.match(cli.stdout, /changed on \d+ page\(s\)/);
      assert.match(cli.stdout, /- input\[text\] id=ctl00_cntMain_txtSearchCIPC/);
      const metrics = await readFile(join(dir, 'changed.prom'), 'utf8');
      assert.match(metrics, /^cipc_portal_drift_pages [1-9]\d*$/m);
      assert.match(metrics, /^cipc_portal_canary_up 1$/m);
    } finally {
      control.resetFaults();
    }
  });
});
