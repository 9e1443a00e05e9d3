import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** Ids of keys already seen: the engine encrypts hundreds of values a second with the same few keys. */
const keyIds = new WeakMap<Buffer, string>();

/** A short, stable name for a key, stored beside each ciphertext so keys can be rotated. */
export function keyIdOf(key: Buffer): string {
  let id = keyIds.get(key);
  if (id === undefined) {
    id = createHash('sha256').update(key).digest('hex').slice(0, 8);
    keyIds.set(key, id);
  }
  return id;
}

/** The id of the key a value written by `encryptField` is under (rotation skips those under the newest). */
export function keyIdIn(stored: string): string | undefined {
  const [version, keyId] = stored.split(':', 2);
  return version === VERSION ? keyId : undefined;
}

/** The key among `keys` (current and retired) whose id is `keyId`; an error naming the id when none is. */
export function keyWithId(keyId: string, keys: Buffer | readonly Buffer[]): Buffer {
  const key = (Array.isArray(keys) ? keys : [keys]).find((candidate) => keyIdOf(candidate) === keyId);
  if (!key) throw new Error(`no key with id ${keyId} in the key ring to decrypt this value`);
  return key;
}

/**
 * AES-256-GCM for one personal-data value: `v1:<keyId>:<iv>:<tag>:<ciphertext>`, the last three base64.
 * A fresh 12-byte IV per value; the tag makes tampering a decryption error, not wrong data. The key is
 * used as it is (no derivation per value): one AES-GCM pass is all a value costs.
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
  const decipher = createDecipheriv('aes-256-gcm', keyWithId(keyId, keys), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}

/** A value under the newest key of `keys`, re-encrypted only when it is under an older one (rotation). */
export function reencryptField(stored: string, keys: readonly Buffer[]): string {
  const newest = keys[0] as Buffer;
  if (keyIdIn(stored) === keyIdOf(newest)) return stored;
  return encryptField(decryptField(stored, keys), newest);
}
