import type { FasDetails } from './conversation-command.js';

export type FasPerson = FasDetails['recordsKeeper'];

// Words people put between a name and a number ("Thandi Mokoena ID 800101…", "Nkosi Inc, practice no 123").
const LABEL =
  /[\s,;:\-–(]*(\b(id|identity|reg|registration|practice|passport)\b\.?\s*(no|nr|number|#)?\.?\s*:?)?[\s,;:\-–(]*$/i;

/**
 * A name and an ID, registration or practice number from one line, in either order: "Thandi Mokoena
 * 8001015009087", "8001015009087 Thandi Mokoena", "Nkosi & Co, practice no 12345". A 13-digit South
 * African ID number must pass its Luhn check, so a mistyped digit is caught before it reaches CIPC.
 */
export function parseFasPerson(line: string): FasPerson | undefined {
  const text = line.trim();
  const leading = /^([A-Z]{0,3}[\d][\d\s/-]*\d[A-Z]?)\s*[,;:-]?\s*(.+)$/i.exec(text);
  const trailing = /^(.*?[A-Za-z].*?)\s*((?:[A-Z]{1,3})?\d[\d\s/-]*\d[A-Z]?)\s*\)?$/i.exec(text);
  const [name, number] = trailing
    ? [trailing[1] as string, trailing[2] as string]
    : leading
      ? [leading[2] as string, leading[1] as string]
      : [];
  if (name === undefined || number === undefined) return undefined;
  const cleanName = name.replace(LABEL, '').trim();
  const idNumber = number.replace(/\s+/g, '').toUpperCase();
  if (!/[A-Za-z]{2}/.test(cleanName) || (idNumber.match(/\d/g) ?? []).length < 4) return undefined;
  if (/^\d{13}$/.test(idNumber) && !passesLuhn(idNumber)) return undefined;
  return { name: cleanName, idNumber };
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
