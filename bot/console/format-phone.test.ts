import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPhone } from './format-phone.js';

describe('formatPhone', () => {
  it('groups a South African number as agents read it', () => {
    assert.equal(formatPhone('+27821234567'), '+27 82 123 4567');
    assert.equal(formatPhone('27825559001'), '+27 82 555 9001');
  });
  it('shows another country’s number as stored, with its plus', () => {
    assert.equal(formatPhone('447700900123'), '+447700900123');
  });
});
