import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptField, encryptField, keyIdOf } from './encrypt-field.js';

describe('field encryption', () => {
  const key = randomBytes(32);

  it('round-trips text, with a fresh IV each time and the key id in the clear', () => {
    const a = encryptField('Jane Dube 8001015009087', key);
    const b = encryptField('Jane Dube 8001015009087', key);
    assert.notEqual(a, b);
    assert.match(a, new RegExp(`^v1:${keyIdOf(key)}:[^:]+:[^:]+:[^:]+$`));
    assert.equal(decryptField(a, key), 'Jane Dube 8001015009087');
  });

  it('finds the right key among retired ones', () => {
    const old = randomBytes(32);
    assert.equal(decryptField(encryptField('x', old), [key, old]), 'x');
  });

  it('refuses tampered data, unknown keys and plain text', () => {
    const stored = encryptField('secret', key);
    const parts = stored.split(':');
    const body = Buffer.from(parts[4] as string, 'base64');
    body[0] = (body[0] as number) ^ 1;
    parts[4] = body.toString('base64');
    assert.throws(() => decryptField(parts.join(':'), key));
    assert.throws(() => decryptField(stored, randomBytes(32)), /no key with id/);
    assert.throws(() => decryptField('hello', key), /not an encrypted field/);
  });
});
