/**
 * npm run portal:canary [-- --record] [-- --metrics-file <path>]
 *
 * Walks the CIPC portal's read-only path (public search, free AR calculator; no login, no payment) at
 * CIPC_PORTAL_URL and compares each page's structure with scripts/portal-canary/fingerprint.json. Exit 0:
 * unchanged; 1: changed (the report says what); 2: the path could not be walked. `--record` stores what
 * the portal shows now as the new fingerprint. CANARY_ENTERPRISE_NUMBER picks the enterprise searched.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  canaryMetrics,
  compareFingerprints,
  describeDrift,
  type PageDrift,
  type PortalFingerprint,
  runPortalCanary,
} from './portal-canary/run-portal-canary.js';

const FINGERPRINT = fileURLToPath(new URL('./portal-canary/fingerprint.json', import.meta.url));

const { values } = parseArgs({
  options: { record: { type: 'boolean', default: false }, 'metrics-file': { type: 'string' } },
});
const portalUrl = process.env.CIPC_PORTAL_URL;
if (!portalUrl) {
  console.error('CIPC_PORTAL_URL is not set (e.g. https://eservices.cipc.co.za)');
  process.exit(2);
}
const metricsFile = values['metrics-file'] ?? process.env.PORTAL_CANARY_METRICS_FILE;

async function writeMetrics(drift: PageDrift[] | undefined): Promise<void> {
  if (!metricsFile) return;
  await writeFile(`${metricsFile}.tmp`, canaryMetrics(drift, new Date()));
  await rename(`${metricsFile}.tmp`, metricsFile);
}

let pages: Record<string, string[]>;
try {
  pages = await runPortalCanary({
    portalUrl,
    enterpriseNumber: process.env.CANARY_ENTERPRISE_NUMBER ?? '2019/123456/07',
    signal: AbortSignal.timeout(120_000),
  });
} catch (err) {
  console.error(`CIPC portal canary: could not walk ${portalUrl}: ${(err as Error).message}`);
  await writeMetrics(undefined);
  process.exit(2);
}
if (values.record) {
  const fingerprint: PortalFingerprint = { recordedFrom: portalUrl, pages };
  await writeFile(FINGERPRINT, `${JSON.stringify(fingerprint, null, 2)}\n`);
  console.log(`CIPC portal canary: fingerprint of ${portalUrl} recorded in ${FINGERPRINT}`);
  process.exit(0);
}
const stored = JSON.parse(await readFile(FINGERPRINT, 'utf8')) as PortalFingerprint;
const drift = compareFingerprints(stored.pages, pages);
await writeMetrics(drift);
console.log(describeDrift(portalUrl, drift));
process.exit(drift.length === 0 ? 0 : 1);
