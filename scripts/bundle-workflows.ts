/**
 * `npm run bundle:workflows -- [OUT]`: the filing worker's workflow code bundled ahead of time (Temporal's
 * bundleWorkflowCode, the same webpack build the worker otherwise runs at every start), written to OUT
 * (default dist/workflow-bundle.js). The worker image builds it once; WORKFLOW_BUNDLE_PATH makes the
 * worker load it, so a worker starts in seconds and every replica runs byte-identical workflow code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
const { code } = await bundleWorkflowCode({
  workflowsPath: fileURLToPath(new URL('../filing-worker/workflows/index.ts', import.meta.url)),
});
await mkdir(dirname(out), { recursive: true });
await writeFile(out, code);
console.log(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)`);
