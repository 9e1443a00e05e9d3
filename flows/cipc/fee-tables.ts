import type { FeeTableKind } from './enterprise-type.js';
import type { IsoDate } from './iso-date.js';
import type { CloseCorporationTurnoverBandId, CompanyTurnoverBandId } from './turnover-bands.js';

/** What CIPC charges for one year's annual return in one turnover band. Rand amounts, no VAT. */
export interface AnnualReturnFee {
  readonly onTimeCents: number;
  /** The whole fee for a late return, not an add-on. */
  readonly lateCents: number;
}

/** A fee table as gazetted: a new gazette is a new row here, not new code. */
export interface FeeTable<BandId extends string> {
  readonly kind: FeeTableKind;
  readonly source: string;
  readonly effectiveFrom: IsoDate;
  /** What is not yet checked against the gazette itself. */
  readonly unconfirmed?: string;
  readonly fees: Readonly<Record<BandId, AnnualReturnFee>>;
}

export const COMPANY_FEE_TABLE: FeeTable<CompanyTurnoverBandId> = {
  kind: 'company',
  source: 'Companies Regulations, 2011 (GN R351, GG 34239), Annexure 2, Table CR 2B, item 8',
  effectiveFrom: '2011-05-01',
  unconfirmed: 'effective date of the current amounts (taken from CIPC notices, not the amending gazette)',
  fees: {
    'company-under-1m': { onTimeCents: 100_00, lateCents: 150_00 },
    'company-1m-to-10m': { onTimeCents: 450_00, lateCents: 600_00 },
    'company-10m-to-25m': { onTimeCents: 2_000_00, lateCents: 2_500_00 },
    'company-25m-plus': { onTimeCents: 3_000_00, lateCents: 4_000_00 },
  },
};

// The gazette prices a late CC return as the on-time fee plus a R150 penalty; stored here as the total.
export const CLOSE_CORPORATION_FEE_TABLE: FeeTable<CloseCorporationTurnoverBandId> = {
  kind: 'close-corporation',
  source: 'Close Corporations Act 69 of 1984, s15A; fees as prescribed under the Act (CIPC fee schedule)',
  effectiveFrom: '2011-05-01',
  unconfirmed: 'the regulation number and effective date (taken from CIPC notices)',
  fees: {
    'cc-under-50m': { onTimeCents: 100_00, lateCents: 250_00 },
    'cc-50m-plus': { onTimeCents: 4_000_00, lateCents: 4_150_00 },
  },
};

export const FEE_TABLES = {
  company: COMPANY_FEE_TABLE,
  'close-corporation': CLOSE_CORPORATION_FEE_TABLE,
} as const satisfies Record<FeeTableKind, FeeTable<string>>;
