import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword } from './hash-password.js';
import { verifyPassword } from './verify-password.js';

describe('scrypt password hashes', () => {
  it('are scrypt$N$r$p$salt$hash, salted afresh each time, and verify only the right password', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    assert.match(first, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.notEqual(first, second);
    assert.equal(await verifyPassword('correct horse battery staple', first), true);
    assert.equal(await verifyPassword('correct horse battery stapler', first), false);
    assert.equal(await verifyPassword('', first), false);
  });

  it('treat the same text in another Unicode form as the same password', async () => {
    const hash = await hashPassword('caf\u00e9 au lait!');
    assert.equal(await verifyPassword('cafe\u0301 au lait!', hash), true);
  });

  it('answer false, without throwing or stalling, for malformed or costly stored values', async () => {
    const good = await hashPassword('whatever it was');
    const [, , , , salt, hash] = good.split('$');
    for (const stored of [
      '',
      'plaintext',
      `bcrypt$10$8$1$${salt}$${hash}`,
      `scrypt$1000$8$1$${salt}$${hash}`, // N not a power of two
      `scrypt$1048576$16$1$${salt}$${hash}`, // 2 GiB per try
      `scrypt$32768$8$99$${salt}$${hash}`,
      `scrypt$32768$8$1$${salt}$`,
      `scrypt$32768$8$1$${salt}$c2hvcnQ=`, // a 5-byte hash
    ]) {
      assert.equal(await verifyPassword('whatever it was', stored), false, stored);
    }
  });
});
