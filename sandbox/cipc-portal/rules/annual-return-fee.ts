import { FEE_TABLES } from './fee-tables.js';

export function annualReturnFee(
  kind: 'company' | 'closeCorporation',
  turnoverCents: number,
  late: boolean,
): number {
  const band = FEE_TABLES[kind].bands.find((b) => b.belowCents === undefined || turnoverCents < b.belowCents);
  if (!band) throw new Error(`no fee band for turnover ${turnoverCents}`);
  return late ? band.lateCents : band.onTimeCents;
}
