import type { FeeTableKind } from './enterprise-type.js';

export type CompanyTurnoverBandId =
  | 'company-under-1m'
  | 'company-1m-to-10m'
  | 'company-10m-to-25m'
  | 'company-25m-plus';
export type CloseCorporationTurnoverBandId = 'cc-under-50m' | 'cc-50m-plus';
export type TurnoverBandId = CompanyTurnoverBandId | CloseCorporationTurnoverBandId;

/** An annual-turnover range that decides the fee; also a row of the WhatsApp list the owner picks from. */
export interface TurnoverBand {
  /** Stable id: the list row id, stored on orders. */
  readonly id: TurnoverBandId;
  readonly feeTable: FeeTableKind;
  /** List row title (WhatsApp: at most 24 characters). */
  readonly title: string;
  /** List row description (WhatsApp: at most 72 characters). */
  readonly description: string;
  readonly fromCents: number;
  /** Exclusive upper bound; undefined for the top band. */
  readonly belowCents?: number;
}

const MILLION_CENTS = 100_000_000;

export const TURNOVER_BANDS: readonly TurnoverBand[] = [
  {
    id: 'company-under-1m',
    feeTable: 'company',
    title: 'Under R1 million',
    description: 'Less than R1 000 000 a year, also for a dormant company with no income',
    fromCents: 0,
    belowCents: MILLION_CENTS,
  },
  {
    id: 'company-1m-to-10m',
    feeTable: 'company',
    title: 'R1m to under R10m',
    description: 'From R1 000 000 to less than R10 000 000 a year',
    fromCents: MILLION_CENTS,
    belowCents: 10 * MILLION_CENTS,
  },
  {
    id: 'company-10m-to-25m',
    feeTable: 'company',
    title: 'R10m to under R25m',
    description: 'From R10 000 000 to less than R25 000 000 a year',
    fromCents: 10 * MILLION_CENTS,
    belowCents: 25 * MILLION_CENTS,
  },
  {
    id: 'company-25m-plus',
    feeTable: 'company',
    title: 'R25 million or more',
    description: 'R25 000 000 a year or more',
    fromCents: 25 * MILLION_CENTS,
  },
  {
    id: 'cc-under-50m',
    feeTable: 'close-corporation',
    title: 'Under R50 million',
    description: 'Less than R50 000 000 a year, also for a dormant CC with no income',
    fromCents: 0,
    belowCents: 50 * MILLION_CENTS,
  },
  {
    id: 'cc-50m-plus',
    feeTable: 'close-corporation',
    title: 'R50 million or more',
    description: 'R50 000 000 a year or more',
    fromCents: 50 * MILLION_CENTS,
  },
];

export function turnoverBandsFor(kind: FeeTableKind): TurnoverBand[] {
  return TURNOVER_BANDS.filter((band) => band.feeTable === kind);
}

export function turnoverBandForAmount(kind: FeeTableKind, turnoverCents: number): TurnoverBand | undefined {
  return turnoverBandsFor(kind).find(
    (band) =>
      turnoverCents >= band.fromCents && (band.belowCents === undefined || turnoverCents < band.belowCents),
  );
}
