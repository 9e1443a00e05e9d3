import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { keyIdOf, keyWithId } from './encrypt-field.js';
import type { KeyRing } from './seal-json.js';

/** Opens every sealed file: no image viewer, unzip or Playwright mistakes one for what it hides. */
const MAGIC = Buffer.from('CIPCSEAL1', 'ascii');
const KEY_ID = 4;
const IV = 12;
const TAG = 16;
const HEADER = MAGIC.length + KEY_ID + IV + TAG;

/**
 * Bytes (a screenshot, a Playwright trace, a raw provider body) sealed with AES-256-GCM under the newest
 * key: `CIPCSEAL1`, the 4-byte key id, the 12-byte IV and the 16-byte tag, then the ciphertext. The same
 * cipher and key ids as `encryptField`, in binary: a trace is megabytes, base64 would add a third.
 */
export function sealBytes(plain: Buffer, keys: KeyRing): Buffer {
  const key = keys[0] as Buffer;
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, Buffer.from(keyIdOf(key), 'hex'), iv, cipher.getAuthTag(), ciphertext]);
}

export function openBytes(stored: Buffer, keys: KeyRing): Buffer {
  if (!isSealedBytes(stored)) throw new Error('not sealed bytes (they do not start with CIPCSEAL1)');
  const keyId = sealedBytesKeyId(stored);
  const ivAt = MAGIC.length + KEY_ID;
  const decipher = createDecipheriv('aes-256-gcm', keyWithId(keyId, keys), stored.subarray(ivAt, ivAt + IV));
  decipher.setAuthTag(stored.subarray(ivAt + IV, HEADER));
  return Buffer.concat([decipher.update(stored.subarray(HEADER)), decipher.final()]);
}

/** Stored bytes as they were given: opened when sealed, as they are when written before sealing. */
export function openStoredBytes(stored: Buffer, keys: KeyRing): Buffer {
  return isSealedBytes(stored) ? openBytes(stored, keys) : stored;
}

export function isSealedBytes(stored: Buffer): boolean {
  return stored.length >= HEADER && stored.subarray(0, MAGIC.length).equals(MAGIC);
}

/** The id of the key sealed bytes are under (rotation skips those under the newest). */
export function sealedBytesKeyId(stored: Buffer): string {
  return stored.subarray(MAGIC.length, MAGIC.length + KEY_ID).toString('hex');
}
