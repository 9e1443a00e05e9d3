import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from './load-config.js';

/**
 * The 32-byte key for personal data at rest: ENCRYPTION_KEY, or (outside production, where the config
 * already demands the variable) a key generated once and kept readable only by its owner in DATA_DIR.
 * The service and the filing worker may start at once on one DATA_DIR (`start:bot` + `start:worker`):
 * the key is written whole to a file of this process and linked into place, which fails when another
 * process got there first, so every process ends up reading the one key that won.
 */
export function encryptionKey(config: Pick<Config, 'encryptionKey' | 'dataDir'>): Buffer {
  if (config.encryptionKey) {
    return /^[0-9a-fA-F]{64}$/.test(config.encryptionKey)
      ? Buffer.from(config.encryptionKey, 'hex')
      : Buffer.from(config.encryptionKey, 'base64');
  }
  const file = join(config.dataDir, 'encryption.key');
  if (!existsSync(file)) createKeyFile(file);
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
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
