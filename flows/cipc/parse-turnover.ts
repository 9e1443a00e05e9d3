import { type FeeTableKind, type FileableEnterpriseType, feeTableKindOf } from './enterprise-type.js';
import { type TurnoverBandId, turnoverBandForAmount, turnoverBandsFor } from './turnover-bands.js';

const NOTHING = /\b(nil|none|zero|nothing|dormant|no (income|turnover|revenue|sales|trading))\b/;
const UNDER = /(\bunder\b|\bless than\b|\bbelow\b|\bup ?to\b|\blower than\b|\bnot more than\b|<)/;
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  half: 0.5,
  'half a': 0.5,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twenty: 20,
  fifty: 50,
  hundred: 100,
};
const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mil: 1e6,
  mill: 1e6,
  million: 1e6,
  millions: 1e6,
  mn: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
};
// A figure (digits with thousands separators or a decimal part, or a number word) and its multiplier.
const AMOUNT = new RegExp(
  [
    String.raw`(?<currency>\br\s*|zar\s*)?`,
    String.raw`(?<figure>\d{1,3}(?:[ ,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|\b(?:${Object.keys(NUMBER_WORDS)
      .sort((a, b) => b.length - a.length)
      .join('|')})\b)`,
    String.raw`(?:\s*(?<multiplier>${Object.keys(MULTIPLIERS).join('|')})\b)?`,
  ].join(''),
  'g',
);

interface Amount {
  readonly value: number;
  readonly multiplier: number | undefined;
  readonly currency: boolean;
}

/**
 * The turnover band an owner means, from free text ("about 2 million", "R850k", "under a million",
 * "R 1,5 mil", "25 000 000", "50m+", "nil", "1-10m"), a list-row id or a band title typed back.
 * Undefined when it cannot tell: ask again rather than guess. A bare small number ("5", "1.2") is
 * ambiguous between rand and millions, so it needs an "R" or a unit.
 */
export function parseTurnover(
  text: string,
  enterpriseType: FileableEnterpriseType,
): TurnoverBandId | undefined {
  const kind = feeTableKindOf(enterpriseType);
  const normalized = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const listed = turnoverBandsFor(kind).find(
    (band) => band.id === normalized || band.title.toLowerCase() === normalized,
  );
  if (listed) return listed.id;

  const amounts = [...normalized.matchAll(AMOUNT)].flatMap((match) => {
    const amount = readAmount(match.groups ?? {});
    return amount ? [amount] : [];
  });
  if (amounts.length === 0) return NOTHING.test(normalized) ? bandOf(kind, 0) : undefined;
  if (amounts.length > 2) return undefined;

  const [first, second] = amounts as [Amount, Amount | undefined];
  if (second) {
    // A range ("1-10m", "between 2 and 5 million"): the unit of its upper end applies to both.
    const multiplier = second.multiplier ?? 1;
    const low = bandOf(kind, centsOf(first.value * (first.multiplier ?? multiplier)));
    const high = bandOf(kind, centsOf(second.value * multiplier) - 1);
    return low === high ? low : undefined;
  }
  const ambiguous =
    first.multiplier === undefined && !first.currency && first.value > 0 && first.value < 1000;
  if (ambiguous) return undefined;
  const cents = centsOf(first.value * (first.multiplier ?? 1));
  // "Under 1m" is just below 1m; "over 25m", "at least 25m" and "50m+" land in the band that starts there.
  return UNDER.test(normalized) ? (cents > 0 ? bandOf(kind, cents - 1) : undefined) : bandOf(kind, cents);
}

function readAmount(groups: Record<string, string | undefined>): Amount | undefined {
  const figure = groups.figure ?? '';
  const multiplier = groups.multiplier === undefined ? undefined : MULTIPLIERS[groups.multiplier];
  const word = NUMBER_WORDS[figure];
  // "a" or "one" on its own is just a word, not an amount.
  if (word !== undefined)
    return multiplier === undefined ? undefined : { value: word, multiplier, currency: true };
  return {
    value: numberOf(figure, multiplier !== undefined),
    multiplier,
    currency: groups.currency !== undefined,
  };
}

/**
 * "25 000 000", "1,000,000.50", "1.000.000", "1,5", "1.2" and "850.000" as numbers. Spaces always group
 * thousands; a lone "," or "." before exactly three digits does too, unless a unit follows ("1.500m").
 */
function numberOf(figure: string, hasUnit: boolean): number {
  const digits = figure.replace(/ /g, '');
  const separators = digits.match(/[.,]/g) ?? [];
  const last = separators.at(-1);
  if (last === undefined) return Number(digits);
  const decimalIndex = digits.lastIndexOf(last);
  const onlyGrouping =
    separators.every((separator) => separator === last) &&
    (separators.length > 1 || (!hasUnit && digits.length - decimalIndex - 1 === 3));
  if (onlyGrouping) return Number(digits.replace(/[.,]/g, ''));
  return Number(`${digits.slice(0, decimalIndex).replace(/[.,]/g, '')}.${digits.slice(decimalIndex + 1)}`);
}

function centsOf(rand: number): number {
  return Math.round(rand * 100);
}

function bandOf(kind: FeeTableKind, cents: number): TurnoverBandId | undefined {
  return turnoverBandForAmount(kind, cents)?.id;
}
