import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** A short, stable name for a key, stored beside each ciphertext so keys can be rotated. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM for one personal-data column: `v1:<keyId>:<iv>:<tag>:<ciphertext>`, the last three base64.
 * A fresh 12-byte IV per value; the tag makes tampering a decryption error, not wrong data.
 */
export function encryptField(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, keyIdOf(key), iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64')))
    .join(':');
}

/** Decrypts a value written by `encryptField` with whichever of `keys` (current and retired) has its id. */
export function decryptField(stored: string, keys: Buffer | readonly Buffer[]): string {
  const [version, keyId, iv, tag, ciphertext] = stored.split(':');
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) {
    throw new Error('not an encrypted field (expected v1:<keyId>:<iv>:<tag>:<ciphertext>)');
  }
  const key = (Array.isArray(keys) ? keys : [keys]).find((candidate) => keyIdOf(candidate) === keyId);
  if (!key) throw new Error(`no key with id ${keyId} to decrypt this field`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}
