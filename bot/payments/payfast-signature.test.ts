import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  payfastCheckoutSignature,
  payfastItnParameterString,
  verifyPayfastItnSignature,
} from './payfast-signature.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

// The official PayFast SDK test vector (DOMAIN.md), fields given out of order on purpose.
const SDK_FIELDS: Record<string, string> = {
  cycles: '0',
  frequency: '3',
  recurring_amount: '5',
  billing_date: '2023-01-01',
  subscription_type: '1',
  confirmation_address: 'test@test.test',
  email_confirmation: '1',
  custom_str2: 'QW5vdGhlciBUZXN0IFN0cmluZw',
  custom_str1: 'U29tZSBUZXN0IFN0cmluZw',
  custom_int2: '1',
  custom_int1: '1',
  item_name: 'Test',
  amount: '5.00',
  m_payment_id: '5',
  email_address: 'test@test.com',
  name_last: 'Test',
  name_first: 'Test',
  notify_url: 'https://test.com/payfast/webhook',
  cancel_url: 'https://test.com/billing/cancel',
  return_url: 'https://test.com/billing/success',
  merchant_key: '4hjoenwbwnuso',
  merchant_id: '10028084',
};

describe('payfastCheckoutSignature', () => {
  it('reproduces the official SDK vector', () => {
    assert.equal(payfastCheckoutSignature(SDK_FIELDS, 'payfastsandbox'), '3441682c5d8a65486f5b7cc8ce41d146');
  });

  it('skips empty strings but keeps 0, and ignores a signature field', () => {
    const withEmpties = { ...SDK_FIELDS, item_description: '', cell_number: '', signature: 'whatever' };
    assert.equal(payfastCheckoutSignature(withEmpties, 'payfastsandbox'), '3441682c5d8a65486f5b7cc8ce41d146');
    const { cycles: _cycles, ...withoutZero } = SDK_FIELDS;
    assert.notEqual(
      payfastCheckoutSignature(withoutZero, 'payfastsandbox'),
      '3441682c5d8a65486f5b7cc8ce41d146',
    );
  });

  it('trims values and the passphrase', () => {
    const padded = { ...SDK_FIELDS, item_name: '  Test ', amount: '5.00 ' };
    assert.equal(payfastCheckoutSignature(padded, ' payfastsandbox '), '3441682c5d8a65486f5b7cc8ce41d146');
  });

  it('encodes like PHP urlencode', () => {
    const fields = { merchant_id: '1', item_name: "A b~c*d'e(f)g!h-i_j.k/ü" };
    assert.equal(
      payfastCheckoutSignature(fields),
      md5('merchant_id=1&item_name=A+b%7Ec%2Ad%27e%28f%29g%21h-i_j.k%2F%C3%BC'),
    );
  });

  it('appends the passphrase only when there is one', () => {
    const fields = { merchant_id: '1', amount: '5.00' };
    assert.equal(payfastCheckoutSignature(fields), md5('merchant_id=1&amount=5.00'));
    assert.equal(payfastCheckoutSignature(fields, ''), md5('merchant_id=1&amount=5.00'));
    assert.equal(
      payfastCheckoutSignature(fields, 'a b&c'),
      md5('merchant_id=1&amount=5.00&passphrase=a+b%26c'),
    );
  });

  it('refuses a field PayFast would not sign', () => {
    assert.throws(() => payfastCheckoutSignature({ merchant_id: '1', amout: '5.00' }), /amout/);
  });
});

// An ITN body as PayFast posts it: its field order, empty fields present, form-encoded.
const itnFields: [string, string][] = [
  ['m_payment_id', 'ORD-1'],
  ['pf_payment_id', '1089250'],
  ['payment_status', 'COMPLETE'],
  ['item_name', 'Annual return 2024 (ACME)'],
  ['item_description', ''],
  ['amount_gross', '349.00'],
  ['amount_fee', '-8.03'],
  ['amount_net', '340.97'],
  ['custom_str1', 'tok~en*1'],
  ['custom_str2', ''],
  ['custom_int1', ''],
  ['name_first', 'Thandi'],
  ['name_last', ''],
  ['email_address', 'thandi+ar@example.co.za'],
  ['merchant_id', '10000100'],
];
const expectedParameterString =
  'm_payment_id=ORD-1&pf_payment_id=1089250&payment_status=COMPLETE&item_name=Annual+return+2024+%28ACME%29' +
  '&item_description=&amount_gross=349.00&amount_fee=-8.03&amount_net=340.97&custom_str1=tok%7Een%2A1' +
  '&custom_str2=&custom_int1=&name_first=Thandi&name_last=&email_address=thandi%2Bar%40example.co.za' +
  '&merchant_id=10000100';

function itnBody(passphrase: string | undefined, fields = itnFields): string {
  const body = new URLSearchParams(fields).toString();
  const signed = passphrase ? `${expectedParameterString}&passphrase=${passphrase}` : expectedParameterString;
  return `${body}&signature=${md5(signed)}`;
}

describe('payfastItnParameterString', () => {
  it('keeps posted order and empty fields and re-encodes as PHP does', () => {
    assert.equal(payfastItnParameterString(itnBody('secret')), expectedParameterString);
  });

  it('gives the same string however the sender escaped the body', () => {
    const differentlyEscaped = itnBody(undefined)
      .replace('tok~en*1', 'tok%7een%2a1')
      .replace('Annual+return', 'Annual%20return');
    assert.equal(payfastItnParameterString(differentlyEscaped), expectedParameterString);
  });

  it('stops at signature', () => {
    assert.equal(payfastItnParameterString('a=1&signature=x&b=2'), 'a=1');
  });
});

describe('verifyPayfastItnSignature', () => {
  it('accepts a correctly signed ITN, with or without passphrase', () => {
    assert.equal(verifyPayfastItnSignature(itnBody('secret'), 'secret'), true);
    assert.equal(verifyPayfastItnSignature(itnBody(undefined)), true);
    const upperCase = itnBody(undefined).replace(
      /signature=(.*)$/,
      (_, hex: string) => `signature=${hex.toUpperCase()}`,
    );
    assert.equal(verifyPayfastItnSignature(upperCase), true);
  });

  it('rejects tampering, a wrong passphrase and a missing signature', () => {
    const body = itnBody('secret');
    for (const [name, tampered, passphrase] of [
      ['amount', body.replace('amount_gross=349.00', 'amount_gross=1.00'), 'secret'],
      ['status', body.replace('COMPLETE', 'PENDING'), 'secret'],
      ['empty field dropped', body.replace('item_description=&', ''), 'secret'],
      [
        'field reordered',
        body.replace('name_first=Thandi&name_last=', 'name_last=&name_first=Thandi'),
        'secret',
      ],
      ['passphrase', body, 'other'],
      ['no passphrase', body, undefined],
      ['no signature', body.replace(/&signature=.*$/, ''), 'secret'],
      ['multibyte signature', body.replace(/signature=.*$/, 'signature=ü'), 'secret'],
    ] as const) {
      assert.equal(verifyPayfastItnSignature(tampered, passphrase), false, name);
    }
  });
});
