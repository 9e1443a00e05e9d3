import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { encryptionKeys } from './encryption-key.js';

const run = promisify(execFile);
const PROCESSES = 6;
const ROUNDS = 4;

/**
 * One process: waits (spinning, so every process leaves the wait within microseconds of the others) for
 * the instant `goAt`, then asks for the key of `dataDir` and prints it.
 */
const racer = `
  const { encryptionKeys } = await import(${JSON.stringify(new URL('./encryption-key.ts', import.meta.url).href)});
  const [dataDir, goAt] = process.argv.slice(-2);
  while (Date.now() < Number(goAt)) {}
  process.stdout.write(encryptionKeys({ dataDir, encryptionKeys: [] })[0].toString('hex'));
`;

describe('encryptionKeys without ENCRYPTION_KEY(S)', () => {
  it('generates a key once in DATA_DIR, owner-only, and finds it again', async () => {
    const dataDir = join(await mkdtemp(`${tmpdir()}/cipc-key-`), 'not-yet');
    after(() => rm(dataDir, { recursive: true, force: true }));
    const [first, ...more] = encryptionKeys({ dataDir, encryptionKeys: [] });
    assert.equal(first?.length, 32);
    assert.equal(more.length, 0);
    assert.deepEqual(encryptionKeys({ dataDir, encryptionKeys: [] }), [first]);
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

describe('encryptionKeys from the environment', () => {
  it('decodes the ring newest first, hex or base64, and touches no DATA_DIR', () => {
    const newest = Buffer.alloc(32, 1);
    const older = Buffer.alloc(32, 2);
    const dataDir = join(tmpdir(), 'cipc-key-never-created');
    const ring = encryptionKeys({
      dataDir,
      encryptionKeys: [newest.toString('hex'), older.toString('base64')],
    });
    assert.deepEqual(ring, [newest, older]);
  });
});
