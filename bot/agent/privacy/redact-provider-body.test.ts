import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isSealedBytes, openBytes, sealBytes } from '../../../db/seal-bytes.js';
import { redactProviderBody } from './redact-provider-body.js';

const keys = [randomBytes(32)];
const itn =
  'm_payment_id=AR-1&pf_payment_id=1221576&payment_status=COMPLETE&item_name=Order%23123&amount_gross=10.00&amount_fee=-0.23&amount_net=9.77&custom_str1=x&name_first=First&name_last=Last&email_address=test%40test.com&merchant_id=10000100&signature=ac4c3e993d31b5b9d525dc0087051437';
const ozow =
  'SiteCode=TSTSTE0001&TransactionId=d3f1&TransactionReference=AR-1&Amount=349.00&Status=Complete&Optional1=tok&CurrencyCode=ZAR&IsTest=true&StatusMessage=&MaskedAccountNumber=****1234&BankName=FNB&Hash=a491';

describe('redactProviderBody', () => {
  it("keeps a PayFast ITN's payment fields and drops the payer's name, email and custom fields", () => {
    const kept = new URLSearchParams(redactProviderBody(Buffer.from(itn), keys).toString('utf8'));
    assert.deepEqual(
      [...kept.keys()],
      [
        'm_payment_id',
        'pf_payment_id',
        'payment_status',
        'item_name',
        'amount_gross',
        'amount_fee',
        'amount_net',
        'merchant_id',
      ],
    );
    assert.equal(kept.get('amount_gross'), '10.00');
  });

  it("keeps an Ozow notification's transaction fields and drops the account and bank", () => {
    const kept = new URLSearchParams(redactProviderBody(Buffer.from(ozow), keys).toString('utf8'));
    assert.deepEqual(
      [...kept.keys()],
      ['SiteCode', 'TransactionId', 'TransactionReference', 'Amount', 'Status', 'CurrencyCode', 'IsTest'],
    );
  });

  it('seals the redacted body again when it was stored sealed', () => {
    const redacted = redactProviderBody(sealBytes(Buffer.from(itn), keys), keys);
    assert.ok(isSealedBytes(redacted));
    const opened = openBytes(redacted, keys).toString('utf8');
    assert.match(opened, /pf_payment_id=1221576/);
    assert.doesNotMatch(opened, /email_address|name_first/);
  });
});
