import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPhone } from './format-phone.js';

describe('formatPhone', () => {
  it('groups a South African number as agents read it', () => {
    assert.equal(formatPhone('+27821234567'), '+27 82 123 4567');
  });
  it('shows any other number as stored, with its plus', () => {
    assert.equal(formatPhone('+447911123456'), '+447911123456');
    assert.equal(formatPhone('+2782123'), '+2782123');
  });
});
