import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { payfastCheckoutFields } from './payfast-checkout-fields.js';
import { payfastCheckoutSignature } from './payfast-signature.js';

const merchant = { merchantId: '10000100', merchantKey: '46f0cd694581a', passphrase: 'jt7NOE43FZPn' };
const order = {
  reference: 'ORD-42',
  amountCents: 34900,
  itemName: 'CIPC annual return 2024',
  returnUrl: 'https://bot.example/pay/tok/return',
  cancelUrl: 'https://bot.example/pay/tok/cancel',
  notifyUrl: 'https://bot.example/webhooks/payfast',
};

describe('payfastCheckoutFields', () => {
  it('builds the fields in PayFast order with a matching signature', () => {
    const fields = payfastCheckoutFields(merchant, { ...order, nameFirst: 'Thandi', customStr1: 'tok' });
    assert.deepEqual(Object.keys(fields), [
      'merchant_id',
      'merchant_key',
      'return_url',
      'cancel_url',
      'notify_url',
      'name_first',
      'm_payment_id',
      'amount',
      'item_name',
      'custom_str1',
      'signature',
    ]);
    assert.equal(fields.amount, '349.00');
    const { signature, ...signed } = fields;
    assert.equal(signature, payfastCheckoutSignature(signed, merchant.passphrase));
  });

  it('leaves optional fields out when absent', () => {
    const fields = payfastCheckoutFields(merchant, order);
    for (const key of ['name_first', 'email_address', 'item_description', 'custom_str1']) {
      assert.equal(key in fields, false, key);
    }
  });

  it('signs without passphrase when the merchant has none', () => {
    const { passphrase: _, ...noPassphrase } = merchant;
    const { signature, ...signed } = payfastCheckoutFields(noPassphrase, order);
    assert.equal(signature, payfastCheckoutSignature(signed));
  });

  it('cuts over-long text to PayFast limits and refuses amounts under R5', () => {
    const fields = payfastCheckoutFields(merchant, { ...order, itemName: 'x'.repeat(300) });
    assert.equal(fields.item_name?.length, 100);
    assert.throws(() => payfastCheckoutFields(merchant, { ...order, amountCents: 499 }), RangeError);
  });
});
