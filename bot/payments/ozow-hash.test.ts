import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ozowRequestHash, verifyOzowNotificationHash } from './ozow-hash.js';

const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');
const PRIVATE_KEY = '215114531AFF7134A94C88CEEA48E';

// The example from Ozow's documentation (DOMAIN.md).
const example = {
  SiteCode: 'TSTSTE0001',
  CountryCode: 'ZA',
  CurrencyCode: 'ZAR',
  Amount: '25.00',
  TransactionReference: '123',
  BankReference: 'ABC123',
  CancelUrl: 'http://demo.ozow.com/cancel.aspx',
  ErrorUrl: 'http://demo.ozow.com/cancel.aspx',
  SuccessUrl: 'http://demo.ozow.com/success.aspx',
  NotifyUrl: 'http://demo.ozow.com/notify.aspx',
  IsTest: false,
};
const EXAMPLE_HASH =
  'fbcb404ee61138d0a09d89fcc2f85c378669b21a3c7c48750b3cc8779de55ada2e8bc32915cce574e676a75aca62854cdc9a12ad5188f284d840d94a6dd73bf4';

describe('ozowRequestHash', () => {
  it('reproduces the documented example', () => {
    assert.equal(ozowRequestHash(example, PRIVATE_KEY), EXAMPLE_HASH);
  });

  it('formats the amount with two decimals and accepts IsTest as text', () => {
    assert.equal(ozowRequestHash({ ...example, Amount: '25', IsTest: 'false' }, PRIVATE_KEY), EXAMPLE_HASH);
    assert.equal(ozowRequestHash({ ...example, Amount: '25.0' }, PRIVATE_KEY), EXAMPLE_HASH);
  });

  it('puts optional fields and Customer in their places', () => {
    const fields = { ...example, Optional1: 'o1', Optional5: 'o5', Customer: 'Thandi' };
    const text =
      'TSTSTE0001ZAZAR25.00123ABC123o1o5Thandi' +
      'http://demo.ozow.com/cancel.aspxhttp://demo.ozow.com/cancel.aspxhttp://demo.ozow.com/success.aspx' +
      'http://demo.ozow.com/notify.aspxfalse' +
      PRIVATE_KEY;
    assert.equal(ozowRequestHash(fields, PRIVATE_KEY), sha512(text.toLowerCase()));
  });

  it('changes with any field', () => {
    for (const change of [{ Amount: '25.01' }, { TransactionReference: '124' }, { IsTest: true }]) {
      assert.notEqual(ozowRequestHash({ ...example, ...change }, PRIVATE_KEY), EXAMPLE_HASH);
    }
  });
});

function notification(overrides: Record<string, string> = {}): Record<string, string> {
  const fields: Record<string, string> = {
    SiteCode: 'TSTSTE0001',
    TransactionId: '1c0ec2a8-5e55-4c0d-9a1e-5d6a9c8b7f00',
    TransactionReference: 'ORD-42',
    Amount: '349.00',
    Status: 'Complete',
    Optional1: 'tok',
    Optional2: '',
    Optional3: '',
    Optional4: '',
    Optional5: '',
    CurrencyCode: 'ZAR',
    IsTest: 'true',
    StatusMessage: 'Test transaction completed',
    ...overrides,
  };
  const order = Object.keys(fields).filter((key) => key !== 'Hash');
  fields.Hash ??= sha512((order.map((key) => fields[key]).join('') + PRIVATE_KEY).toLowerCase());
  return fields;
}

/** A notification whose correct hash starts with '0', found by varying the TransactionId. */
function notificationWithLeadingZero(): Record<string, string> {
  for (let i = 0; ; i++) {
    const fields = notification({ TransactionId: `tx-${i}` });
    if (fields.Hash?.startsWith('00')) return fields;
  }
}

describe('verifyOzowNotificationHash', () => {
  it('accepts a correct notification, in either case', () => {
    const fields = notification();
    assert.equal(verifyOzowNotificationHash(fields, PRIVATE_KEY), true);
    assert.equal(
      verifyOzowNotificationHash({ ...fields, Hash: fields.Hash?.toUpperCase() }, PRIVATE_KEY),
      true,
    );
  });

  it('treats absent optional fields as empty', () => {
    const fields = notification();
    const { Optional2: _2, Optional3: _3, Optional4: _4, Optional5: _5, ...sparse } = fields;
    assert.equal(verifyOzowNotificationHash(sparse, PRIVATE_KEY), true);
  });

  it('rejects tampered values, a wrong key and a missing hash', () => {
    const fields = notification();
    for (const [name, changed] of [
      ['amount', { Amount: '1.00' }],
      ['status', { Status: 'Cancelled' }],
      ['reference', { TransactionReference: 'ORD-43' }],
      ['no hash', { Hash: '' }],
      ['not hex', { Hash: `${fields.Hash?.slice(0, 127)}g` }],
      ['too long', { Hash: `0${fields.Hash}` }],
    ] as const) {
      assert.equal(verifyOzowNotificationHash({ ...fields, ...changed }, PRIVATE_KEY), false, name);
    }
    assert.equal(verifyOzowNotificationHash(fields, 'other-key'), false);
  });

  it('tolerates dropped leading zeros, and only those', () => {
    const fields = notificationWithLeadingZero();
    const hash = fields.Hash ?? '';
    assert.equal(verifyOzowNotificationHash({ ...fields, Hash: hash.slice(1) }, PRIVATE_KEY), true);
    assert.equal(verifyOzowNotificationHash({ ...fields, Hash: hash.replace(/^0+/, '') }, PRIVATE_KEY), true);
    assert.equal(verifyOzowNotificationHash({ ...fields, Hash: hash.slice(0, -1) }, PRIVATE_KEY), false);
    const noLeadingZero = notification();
    assert.equal(noLeadingZero.Hash?.startsWith('0'), false);
    assert.equal(
      verifyOzowNotificationHash({ ...noLeadingZero, Hash: noLeadingZero.Hash?.slice(1) }, PRIVATE_KEY),
      false,
    );
  });
});
