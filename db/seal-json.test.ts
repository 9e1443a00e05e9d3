import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { keyIdIn, keyIdOf } from './encrypt-field.js';
import { isSealed, openJson, resealJson, sealedUnderNewest, sealJson } from './seal-json.js';

describe('sealJson / openJson', () => {
  const older = randomBytes(32);
  const newest = randomBytes(32);
  const value = { type: 'user.text', text: 'Thandi Mokoena 8001015009087' };

  it('seals a value whole under the newest key, keeping only the given fields readable, and opens it back', () => {
    const stored = sealJson(value, [newest, older], { v: 2, messageRowId: 7 });
    assert.deepEqual(Object.keys(stored).sort(), ['messageRowId', 'sealed', 'v']);
    assert.ok(!JSON.stringify(stored).includes('8001015009087'));
    assert.equal(keyIdIn(stored.sealed), keyIdOf(newest));
    assert.deepEqual(openJson(stored, [newest]), { ...value, v: 2, messageRowId: 7 });
  });

  it('reads a value that was never sealed as it is', () => {
    assert.equal(isSealed(value), false);
    assert.deepEqual(openJson(value, [newest]), value);
    assert.equal(openJson(null, [newest]), null);
  });

  it('opens with any key of the ring and moves a value to the newest key with its clear fields', () => {
    const underOlder = sealJson(value, [older], { v: 2 });
    assert.deepEqual(openJson(underOlder, [newest, older]), { ...value, v: 2 });
    assert.throws(() => openJson(underOlder, [newest]), /no key with id/);
    assert.equal(sealedUnderNewest(underOlder, [newest, older]), false);
    const moved = resealJson(underOlder, [newest, older]);
    assert.equal(sealedUnderNewest(moved, [newest, older]), true);
    assert.deepEqual(openJson(moved, [newest]), { ...value, v: 2 });
    assert.equal(resealJson(moved, [newest]).sealed, moved.sealed, 'already under the newest: untouched');
  });
});
