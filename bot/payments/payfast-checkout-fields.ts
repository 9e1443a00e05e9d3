import { money } from './money.js';
import { payfastCheckoutSignature } from './payfast-signature.js';

export interface PayfastMerchant {
  merchantId: string;
  merchantKey: string;
  passphrase?: string;
}

export interface PayfastCheckoutOrder {
  /** Our order reference, echoed back in the ITN as m_payment_id. */
  reference: string;
  amountCents: number;
  itemName: string;
  itemDescription?: string;
  returnUrl: string;
  cancelUrl: string;
  notifyUrl: string;
  nameFirst?: string;
  emailAddress?: string;
  /** Free text echoed back in the ITN (e.g. the pay token). */
  customStr1?: string;
}

/** PayFast's own length limits; a longer value is cut here rather than rejected on the payment page. */
const LIMITS = {
  name_first: 100,
  email_address: 100,
  m_payment_id: 100,
  item_name: 100,
  item_description: 255,
  custom_str1: 255,
};
/** PayFast refuses payments under R5.00. */
const MINIMUM_CENTS = 500;

function clip(key: keyof typeof LIMITS, value: string): string {
  return value.trim().slice(0, LIMITS[key]);
}

/**
 * The hidden fields of the form posted to {PAYFAST_URL}/eng/process, signature included, in PayFast's
 * order (insertion order of the returned object, so rendering it in order gives the signed order).
 */
export function payfastCheckoutFields(
  merchant: PayfastMerchant,
  order: PayfastCheckoutOrder,
): Record<string, string> {
  if (order.amountCents < MINIMUM_CENTS)
    throw new RangeError(`PayFast needs at least R5.00, got ${order.amountCents} cents`);
  const fields: Record<string, string> = {
    merchant_id: merchant.merchantId,
    merchant_key: merchant.merchantKey,
    return_url: order.returnUrl,
    cancel_url: order.cancelUrl,
    notify_url: order.notifyUrl,
  };
  if (order.nameFirst) fields.name_first = clip('name_first', order.nameFirst);
  if (order.emailAddress) fields.email_address = clip('email_address', order.emailAddress);
  fields.m_payment_id = clip('m_payment_id', order.reference);
  fields.amount = money.format(order.amountCents);
  fields.item_name = clip('item_name', order.itemName);
  if (order.itemDescription) fields.item_description = clip('item_description', order.itemDescription);
  if (order.customStr1) fields.custom_str1 = clip('custom_str1', order.customStr1);
  fields.signature = payfastCheckoutSignature(fields, merchant.passphrase);
  return fields;
}
