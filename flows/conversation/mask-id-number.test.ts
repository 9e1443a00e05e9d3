import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskIdNumber } from './mask-id-number.js';

describe('maskIdNumber', () => {
  it('shows the birth date and the last two digits of a South African ID number', () => {
    assert.equal(maskIdNumber('8001015009087'), '800101•••••87');
  });

  it('keeps two characters at each end of a passport number, and hides a short one whole', () => {
    assert.equal(maskIdNumber('A12345678'), 'A1•••••78');
    assert.equal(maskIdNumber('1234'), '••••');
  });
});
