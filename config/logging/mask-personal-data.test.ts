import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskPersonalData, maskPhoneNumber } from './mask-personal-data.js';

describe('maskPersonalData', () => {
  for (const [written, masked] of [
    ['+27821234567', '+27 82 ••• 4567'],
    ['27821234567', '+27 82 ••• 4567'],
    ['+27 82 123 4567', '+27 82 ••• 4567'],
    ['082 123 4567', '+27 82 ••• 4567'],
    ['0821234567', '+27 82 ••• 4567'],
    ['+447700900123', '+44 ••• 0123'],
  ]) {
    it(`masks the phone number ${written} as ${masked}`, () => {
      assert.equal(maskPersonalData(`reply to ${written}.`), `reply to ${masked}.`);
    });
  }

  it('replaces ID numbers, emails and pay tokens, wherever they sit in the text', () => {
    assert.equal(
      maskPersonalData('FAS: Thandi Mokoena 8001015009087, thandi.m+ar@example.co.za'),
      'FAS: Thandi Mokoena [ID number], [email]',
    );
    assert.equal(
      maskPersonalData('GET /pay/Xk3_9aZ-qq/payfast?provider=payfast and http://x/pay/abc123'),
      'GET /pay/[token]/payfast?provider=payfast and http://x/pay/[token]',
    );
    assert.equal(
      maskPersonalData('/sandbox/phone/api/messages?phone=27825559001&name=Thandi'),
      '/sandbox/phone/api/messages?phone=+27 82 ••• 9001&name=Thandi',
    );
  });

  it('leaves what is not personal alone: ids, amounts, registration numbers, times', () => {
    const text =
      'order 3f1c2a9e-0b6d-4f7a-9c1e-123456789012 R 799.00 for 2019/123456/07 at 2026-12-02T07:01:44.123Z, outbox 1234';
    assert.equal(maskPersonalData(text), text);
  });
});

describe('maskPhoneNumber', () => {
  it('masks a number given in any South African form, and any other country by its digits', () => {
    assert.equal(maskPhoneNumber('27821234567'), '+27 82 ••• 4567');
    assert.equal(maskPhoneNumber('+27 (82) 123-4567'), '+27 82 ••• 4567');
    assert.equal(maskPhoneNumber('919876543210'), '+91 ••• 3210');
    assert.equal(maskPhoneNumber('123'), '•••');
  });
});
