/**
 * Cents as rand the way messages show money: "R1 234.00". A space groups thousands (SA style) and a
 * point marks cents, as on CIPC's and the payment providers' pages; plain spaces keep it copyable.
 */
export function formatRand(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const rand = String(Math.floor(absolute / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}R${rand}.${String(absolute % 100).padStart(2, '0')}`;
}
