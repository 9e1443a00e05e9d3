/**
 * Rand amounts as providers want them ('349.00') from integer cents, and back. Pure string and integer
 * arithmetic: a float such as 0.1 + 0.2 never touches money.
 */
export const money = {
  /** 34900 → '349.00'; negative amounts are refused (no provider takes them). */
  format(cents: number): string {
    if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`not a cent amount: ${cents}`);
    const rands = Math.trunc(cents / 100);
    return `${rands}.${String(cents % 100).padStart(2, '0')}`;
  },
  /** '349', '349.5', '349.00' → cents; anything else (more than 2 decimals, signs, separators) throws. */
  parse(amount: string): number {
    const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
    if (!match) throw new RangeError(`not a rand amount: ${JSON.stringify(amount)}`);
    const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
    if (!Number.isSafeInteger(cents)) throw new RangeError(`amount too large: ${amount}`);
    return cents;
  },
};
