/**
 * AiSensy sends `27821234567` and treats a number without a known country code as Indian, so we keep
 * every number as E.164 and refuse what is not one. A South African `0821234567` becomes `+27821234567`.
 */
export function toE164(phone: string): string | undefined {
  const digits = phone.replace(/[\s()-]/g, '');
  if (/^0[1-9]\d{8}$/.test(digits)) return `+27${digits.slice(1)}`;
  const international = digits.replace(/^(\+|00)/, '');
  return /^[1-9]\d{7,14}$/.test(international) ? `+${international}` : undefined;
}
