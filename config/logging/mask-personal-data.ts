// Phone numbers: South African ones however written (+27 82 123 4567, 27821234567, 082 123 4567), and
// any other number written in E.164 with its plus. Digits on either side mean it is part of something else.
const SOUTH_AFRICAN_PHONE = /(?<![\d+])(?:\+?27|0)[ -]?(\d{2})[ -]?\d{3}[ -]?(\d{4})(?!\d)/g;
const INTERNATIONAL_PHONE = /(?<![\d+])\+(\d{2})[ -]?(?:\d[ -]?){3,9}(\d{4})(?!\d)/g;
// A South African ID number is 13 digits. Any 13-digit run is masked: a typo'd ID is still personal data.
const ID_NUMBER = /(?<!\d)\d{13}(?!\d)/g;
const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;
// The pay link's token is a bearer credential: whoever has it sees the order and can pay it.
const PAY_TOKEN = /\/pay\/[^/?#\s"'<>]+/g;

/** `+27 82 ••• 4567`: enough to tell two owners apart in a log, not enough to call one. */
export function maskPhoneNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 8) return '•••';
  const local = digits.startsWith('27') ? digits.slice(2) : digits.startsWith('0') ? digits.slice(1) : '';
  if (local.length === 9) return `+27 ${local.slice(0, 2)} ••• ${local.slice(-4)}`;
  // Country codes are one to three digits: two show roughly where from without a table of them.
  return `+${digits.slice(0, 2)} ••• ${digits.slice(-4)}`;
}

/**
 * Text as it may be logged: phone numbers masked, ID numbers (13 digits), email addresses and pay-link
 * tokens replaced. For messages, URLs and error texts, where personal data arrives unannounced.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(PAY_TOKEN, '/pay/[token]')
    .replace(ID_NUMBER, '[ID number]')
    .replace(SOUTH_AFRICAN_PHONE, (_match, area: string, last: string) => `+27 ${area} ••• ${last}`)
    .replace(INTERNATIONAL_PHONE, (_match, country: string, last: string) => `+${country} ••• ${last}`);
}
