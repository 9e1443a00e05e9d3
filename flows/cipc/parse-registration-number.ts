import { type EnterpriseType, enterpriseTypeOfCode } from './enterprise-type.js';
import { type IsoDate, parseIsoDate } from './iso-date.js';

export type ParsedRegistrationNumber =
  | {
      ok: true;
      /** Canonical `YYYY/NNNNNN/NN`, the form stored and typed into the portal. */
      number: string;
      year: number;
      sequence: string;
      typeCode: string;
      enterpriseType: EnterpriseType;
    }
  | { ok: false; reason: string };

const EXAMPLE = 'Please send it like 2019/123456/07.';
// CIPC's internal prefixes: K company (after May 2011), M company (before), B and CK close corporation.
const PREFIX = /^(CK|K|M|B)\s*(?=\d)/;
const TWELVE_DIGITS = /^(\d{4})(\d{6})(\d{2})$/;

/**
 * Reads a registration (enterprise) number however people write it: slashes, spaces, dashes or none,
 * CIPC's K/M/B/CK prefixes in either case. With separators, a sequence that lost its leading zeros
 * (`1998/12345/23`) is padded back. Pass `today` to reject registration years in the future.
 */
export function parseRegistrationNumber(input: string, today?: IsoDate): ParsedRegistrationNumber {
  const text = input.trim().toUpperCase().replace(PREFIX, '');
  if (text === '') return { ok: false, reason: `That is empty. ${EXAMPLE}` };
  if (!/^[\d\s/\\\-.]+$/.test(text)) {
    return { ok: false, reason: `A registration number has only digits and slashes. ${EXAMPLE}` };
  }
  const groups = splitGroups(text);
  if (!groups) {
    return {
      ok: false,
      reason: `A registration number has 12 digits: year, 6-digit number and 2-digit type. ${EXAMPLE}`,
    };
  }
  const [yearText, sequenceText, typeText] = groups;
  const year = Number(yearText);
  const sequence = sequenceText.padStart(6, '0');
  const typeCode = typeText.padStart(2, '0');
  if (year < 1900) return { ok: false, reason: `${year} is too early for a registration year. ${EXAMPLE}` };
  if (today !== undefined && year > parseIsoDate(today).year) {
    return {
      ok: false,
      reason: `${year} is in the future, so it cannot be the registration year. ${EXAMPLE}`,
    };
  }
  const enterpriseType = enterpriseTypeOfCode(typeCode);
  if (!enterpriseType) {
    return {
      ok: false,
      reason: `The last part, ${typeCode}, is not a CIPC type code (07 is (Pty) Ltd, 23 is CC). ${EXAMPLE}`,
    };
  }
  return { ok: true, number: `${year}/${sequence}/${typeCode}`, year, sequence, typeCode, enterpriseType };
}

/** Year, sequence and type code digits, or undefined when the digits cannot be grouped that way. */
function splitGroups(text: string): [string, string, string] | undefined {
  const hardParts = text.split(/[/\\\-.]/).map((part) => part.replace(/\s+/g, ''));
  const parts =
    hardParts.length > 1 ? hardParts.filter((part) => part !== '') : text.split(/\s+/).filter(Boolean);
  if (parts.length === 3) {
    const [year, sequence, type] = parts as [string, string, string];
    if (/^\d{4}$/.test(year) && /^\d{1,6}$/.test(sequence) && /^\d{1,2}$/.test(type)) {
      return [year, sequence, type];
    }
  }
  const digits = parts.join('');
  const match = TWELVE_DIGITS.exec(digits);
  return match ? [match[1] as string, match[2] as string, match[3] as string] : undefined;
}
