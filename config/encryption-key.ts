import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from './load-config.js';

/**
 * The key ring for personal data at rest, newest first: ENCRYPTION_KEYS (or ENCRYPTION_KEY alone), or
 * (outside production, where the config already demands a key) one key generated once and kept readable
 * only by its owner in DATA_DIR. The newest key encrypts; every key still decrypts what it wrote, so a new
 * key can go in front while `npm run rotate-key` moves the old values over, then the old key goes.
 * The service and the filing worker may start at once on one DATA_DIR (`start:bot` + `start:worker`):
 * the generated key is written whole to a file of this process and linked into place, which fails when
 * another process got there first, so every process ends up reading the one key that won.
 */
export function encryptionKeys(config: Pick<Config, 'encryptionKeys' | 'dataDir'>): Buffer[] {
  if (config.encryptionKeys.length > 0) return config.encryptionKeys.map(decodeKey);
  const file = join(config.dataDir, 'encryption.key');
  if (!existsSync(file)) createKeyFile(file);
  return [Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')];
}

function decodeKey(written: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(written) ? Buffer.from(written, 'hex') : Buffer.from(written, 'base64');
}

function createKeyFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const mine = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(mine, randomBytes(32).toString('hex'), { mode: 0o600 });
  try {
    linkSync(mine, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    rmSync(mine, { force: true });
  }
}
