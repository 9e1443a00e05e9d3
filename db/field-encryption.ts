import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for personal data at rest. The stored form names the key by a short fingerprint, so a
 * rotated key can still decrypt what the old one wrote: `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64).
 */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function encryptField(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    'v1',
    keyId(key),
    iv.toString('base64'),
    cipher.getAuthTag().toString('base64'),
    ciphertext.toString('base64'),
  ].join(':');
}

/** `keys`: the current key first, then retired ones still needed to read old rows. */
export function decryptField(keys: Buffer | Buffer[], stored: string): string {
  const [version, id, iv, tag, ciphertext] = stored.split(':');
  if (version !== 'v1' || !id || !iv || !tag || ciphertext === undefined) {
    throw new Error('not an encrypted field (expected v1:<keyId>:<iv>:<tag>:<ciphertext>)');
  }
  const key = (Array.isArray(keys) ? keys : [keys]).find((candidate) => keyId(candidate) === id);
  if (!key) throw new Error(`no key with id ${id} to decrypt this field`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}
