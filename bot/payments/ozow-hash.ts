import { createHash, timingSafeEqual } from 'node:crypto';
import { money } from './money.js';

/** The fields of a PostPaymentRequest that its HashCheck covers. */
export interface OzowPaymentRequestFields {
  SiteCode: string;
  CountryCode: string;
  CurrencyCode: string;
  /** Rands, e.g. '199.00' or '199'; always hashed with two decimals. */
  Amount: string;
  TransactionReference: string;
  BankReference: string;
  Optional1?: string;
  Optional2?: string;
  Optional3?: string;
  Optional4?: string;
  Optional5?: string;
  Customer?: string;
  CancelUrl?: string;
  ErrorUrl?: string;
  SuccessUrl?: string;
  NotifyUrl?: string;
  IsTest: boolean | string;
}

const REQUEST_ORDER = [
  'SiteCode',
  'CountryCode',
  'CurrencyCode',
  'Amount',
  'TransactionReference',
  'BankReference',
  'Optional1',
  'Optional2',
  'Optional3',
  'Optional4',
  'Optional5',
  'Customer',
  'CancelUrl',
  'ErrorUrl',
  'SuccessUrl',
  'NotifyUrl',
  'IsTest',
] as const;

const NOTIFICATION_ORDER = [
  'SiteCode',
  'TransactionId',
  'TransactionReference',
  'Amount',
  'Status',
  'Optional1',
  'Optional2',
  'Optional3',
  'Optional4',
  'Optional5',
  'CurrencyCode',
  'IsTest',
  'StatusMessage',
] as const;

const HASH_HEX_LENGTH = 128;

function sha512OfLowercase(values: string[], privateKey: string): string {
  return createHash('sha512')
    .update((values.join('') + privateKey).toLowerCase(), 'utf8')
    .digest('hex');
}

/** HashCheck of a payment request: the fields in Ozow's order, then the private key, lower-cased, SHA-512 hex. */
export function ozowRequestHash(fields: OzowPaymentRequestFields, privateKey: string): string {
  const normalised = {
    ...fields,
    Amount: money.format(money.parse(fields.Amount)),
    IsTest: String(fields.IsTest),
  };
  return sha512OfLowercase(
    REQUEST_ORDER.map((key) => normalised[key] ?? ''),
    privateKey,
  );
}

/**
 * Checks the Hash of a notification Ozow posted: its 13 values as posted (absent ones count as ''), then
 * the private key, lower-cased, SHA-512. The received hash is compared case-insensitively, in constant
 * time. Tolerated quirk: some Ozow integrations drop the leading zeros of the hex hash (it went through a
 * number), so a received hash shorter than 128 hex digits is accepted exactly when padding it on the
 * left with zeros gives our hash. Nothing else is tolerated: other characters, extra digits, or a
 * missing digit that was not a leading zero all fail.
 */
export function verifyOzowNotificationHash(
  fields: Record<string, string | undefined>,
  privateKey: string,
): boolean {
  const received = (fields.Hash ?? '').trim().toLowerCase();
  if (!/^[0-9a-f]{1,128}$/.test(received)) return false;
  const expected = sha512OfLowercase(
    NOTIFICATION_ORDER.map((key) => fields[key] ?? ''),
    privateKey,
  );
  return timingSafeEqual(Buffer.from(received.padStart(HASH_HEX_LENGTH, '0')), Buffer.from(expected));
}
