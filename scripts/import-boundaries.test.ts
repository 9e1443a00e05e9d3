import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const biome = join(root, 'node_modules', '.bin', 'biome');
const run = promisify(execFile);

interface Diagnostic {
  category: string;
  location: { path: string };
}

/** Runs Biome's linter with the project's biome.json in `cwd`; the restricted-import findings by file. */
async function restrictedImports(cwd: string, paths: string[], vcs = true): Promise<string[]> {
  const args = [
    'lint',
    '--reporter=json',
    '--only=style/noRestrictedImports',
    `--vcs-enabled=${vcs}`,
    ...paths,
  ];
  // Biome exits 1 when it finds something: the JSON report is on stdout either way.
  const { stdout } = await run(biome, args, { cwd, maxBuffer: 16 * 1024 * 1024 }).catch(
    (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
  );
  const report = JSON.parse(stdout) as { diagnostics: Diagnostic[] };
  return report.diagnostics
    .filter((d) => d.category === 'lint/style/noRestrictedImports')
    .map((d) => d.location.path)
    .sort();
}

// [file, import]: a module in each folder reaching where ARCHITECTURE.md says it may not.
const forbidden: [string, string][] = [
  ['bot/engine/planted.ts', '../../filing-worker/start-filing-worker.js'],
  ['filing-worker/activities/planted.ts', '../../bot/build-app.js'],
  ['flows/conversation/planted.ts', '../../db/schema.js'],
  ['flows/cipc/planted-config.ts', '../../config/load-config.js'],
  ['flows/cipc/planted-bot.ts', '../../bot/http-error.js'],
  ['flows/cipc/planted-worker.ts', '../../filing-worker/workflows/index.js'],
  ['flows/cipc/planted-sandbox.ts', '../../sandbox/payfast/sign-pairs.js'],
  ['flows/planted-fs.ts', 'node:fs'],
  ['flows/planted-net.ts', 'node:net'],
  ['flows/planted-http.ts', 'node:http'],
  ['flows/planted-postgres.ts', 'postgres'],
  ['flows/planted-axios.ts', 'axios'],
  ['flows/planted-playwright.ts', 'playwright'],
  ['flows/planted-temporal.ts', '@temporalio/client'],
  ['sandbox/aisensy/planted-bot.ts', '../../bot/payments/ozow-hash.js'],
  ['sandbox/payfast/planted-db.ts', '../../db/schema.js'],
  ['sandbox/cipc-portal/planted-flows.ts', '../../flows/cipc/index.js'],
  ['sandbox/planted-config.ts', '../config/load-config.js'],
  ['sandbox/ozow/planted-worker.ts', '../../filing-worker/portal/login-page.js'],
];

// Imports the layout allows: these must stay quiet.
const allowed: [string, string][] = [
  ['bot/engine/allowed.ts', '../../db/schema.js'],
  ['bot/engine/allowed-flows.ts', '../../flows/conversation/index.js'],
  ['filing-worker/activities/allowed.ts', '../../config/load-config.js'],
  ['flows/conversation/allowed.ts', '../cipc/index.js'],
  ['flows/allowed-xstate.ts', 'xstate'],
  ['sandbox/payfast/allowed.ts', '../aisensy/sign-body.js'],
  ['sandbox/allowed-fastify.ts', 'fastify'],
];

describe('folder boundaries (Biome noRestrictedImports in biome.json)', () => {
  let planted: string;
  before(async () => {
    // A copy of the project's biome.json beside planted files: the real tree is never touched.
    planted = await mkdtemp(join(tmpdir(), 'cipc-boundaries-'));
    await copyFile(join(root, 'biome.json'), join(planted, 'biome.json'));
    for (const [file, from] of [...forbidden, ...allowed]) {
      await mkdir(dirname(join(planted, file)), { recursive: true });
      await writeFile(
        join(planted, file),
        `import * as planted from '${from}';\n\nexport const used = planted;\n`,
      );
    }
  });
  after(async () => rm(planted, { recursive: true, force: true }));

  it('reports every planted import across a boundary, and none of the allowed ones', async () => {
    const files = [...forbidden, ...allowed].map(([file]) => file);
    // No .gitignore in the copy: version-control integration off there.
    const reported = await restrictedImports(planted, files, false);
    assert.deepEqual(reported, forbidden.map(([file]) => file).sort());
  });

  it('holds for the tree as it is (tests excepted: they may wire both sides together)', async () => {
    assert.deepEqual(await restrictedImports(root, ['bot', 'filing-worker', 'flows', 'sandbox']), []);
  });
});
