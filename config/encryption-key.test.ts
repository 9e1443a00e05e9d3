import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { encryptionKey } from './encryption-key.js';

const run = promisify(execFile);
const PROCESSES = 6;
const ROUNDS = 4;

/**
 * One process: waits (spinning, so every process leaves the wait within microseconds of the others) for
 * the instant `goAt`, then asks for the key of `dataDir` and prints it.
 */
const racer = `
  const { encryptionKey } = await import(${JSON.stringify(new URL('./encryption-key.ts', import.meta.url).href)});
  const [dataDir, goAt] = process.argv.slice(-2);
  while (Date.now() < Number(goAt)) {}
  process.stdout.write(encryptionKey({ dataDir }).toString('hex'));
`;

describe('encryptionKey without ENCRYPTION_KEY', () => {
  it('generates a key once in DATA_DIR, owner-only, and finds it again', async () => {
    const dataDir = join(await mkdtemp(`${tmpdir()}/cipc-key-`), 'not-yet');
    after(() => rm(dataDir, { recursive: true, force: true }));
    const first = encryptionKey({ dataDir });
    assert.equal(first.length, 32);
    assert.deepEqual(encryptionKey({ dataDir }), first);
    assert.equal((await stat(join(dataDir, 'encryption.key'))).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dataDir), ['encryption.key'], 'no temporary file is left behind');
  });

  it('gives every process the same key when several start at once on one DATA_DIR', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = await mkdtemp(`${tmpdir()}/cipc-key-race-`);
      after(() => rm(dataDir, { recursive: true, force: true }));
      const goAt = Date.now() + 5_000;
      const keys = await Promise.all(
        Array.from({ length: PROCESSES }, async () => {
          const { stdout } = await run(process.execPath, [
            '--import',
            'tsx',
            '--input-type=module',
            '-e',
            racer,
            dataDir,
            String(goAt),
          ]);
          return stdout;
        }),
      );
      assert.ok(Date.now() > goAt, 'every process was up before the instant (else the race was not run)');
      assert.equal(new Set(keys).size, 1, `round ${round}: the processes got ${new Set(keys).size} keys`);
      assert.deepEqual(await readdir(dataDir), ['encryption.key']);
    }
  });
});
