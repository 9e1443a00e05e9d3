/**
 * Runs every `*.test.ts` with node's test runner. Starts one in-memory Temporal dev server for the
 * whole run (unless TEMPORAL_ADDRESS is set) and passes its address as TEST_TEMPORAL_ADDRESS.
 * Extra arguments narrow the run to files whose path contains one of them.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { findTemporalCli, startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server.js';

const ROOTS = ['config', 'flows', 'db', 'bot', 'filing-worker', 'sandbox', 'scripts'];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = ROOTS.flatMap(testFiles)
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}

const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
let temporal: TemporalDevServer | undefined;
if (process.env.TEMPORAL_ADDRESS) {
  env.TEST_TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS;
} else {
  const cli = findTemporalCli();
  if (!cli) {
    console.error(
      'the Temporal CLI was not found (TEMPORAL_CLI, .tools/venv/bin/temporal, PATH): run npm run setup',
    );
    process.exit(1);
  }
  temporal = await startTemporalDevServer(cli, { port: await freePort() });
  env.TEST_TEMPORAL_ADDRESS = temporal.address;
  console.log(`Temporal dev server for tests at ${temporal.address}`);
}
console.log(
  `database for tests: ${process.env.TEST_DATABASE_URL ? 'PostgreSQL at TEST_DATABASE_URL' : 'PGlite in memory'}`,
);

const runner = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files],
  { stdio: 'inherit', env },
);
const code: number = await new Promise((done) => runner.once('exit', (c) => done(c ?? 1)));
await temporal?.stop();
process.exit(code);
