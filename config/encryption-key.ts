import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './load-config.js';

/**
 * The 32-byte key for personal data at rest: ENCRYPTION_KEY, or (outside production, where the config
 * already demands the variable) a key generated once and kept readable only by its owner in DATA_DIR.
 */
export function encryptionKey(config: Pick<Config, 'encryptionKey' | 'dataDir'>): Buffer {
  if (config.encryptionKey) {
    return /^[0-9a-fA-F]{64}$/.test(config.encryptionKey)
      ? Buffer.from(config.encryptionKey, 'hex')
      : Buffer.from(config.encryptionKey, 'base64');
  }
  const file = join(config.dataDir, 'encryption.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return key;
}
