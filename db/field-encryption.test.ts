import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptField, encryptField, keyId } from './field-encryption.js';

describe('field encryption', () => {
  const key = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const stored = encryptField(key, 'ID 8001015009087');
    assert.ok(!stored.includes('8001015009087'));
    assert.ok(stored.startsWith(`v1:${keyId(key)}:`));
    assert.equal(decryptField(key, stored), 'ID 8001015009087');
    assert.notEqual(encryptField(key, 'same'), encryptField(key, 'same'), 'a fresh IV each time');
  });

  it('reads rows written with a retired key after rotation', () => {
    const old = randomBytes(32);
    const stored = encryptField(old, 'kept');
    assert.equal(decryptField([key, old], stored), 'kept');
    assert.throws(() => decryptField(key, stored), /no key with id/);
  });

  it('refuses tampered ciphertext', () => {
    const stored = encryptField(key, 'amount 100');
    const parts = stored.split(':');
    const ciphertext = Buffer.from(parts[4] as string, 'base64');
    ciphertext[0] = (ciphertext[0] as number) ^ 1;
    parts[4] = ciphertext.toString('base64');
    assert.throws(() => decryptField(key, parts.join(':')));
  });
});
