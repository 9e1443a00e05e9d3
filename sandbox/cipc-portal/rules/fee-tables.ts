/** One turnover band: applies while turnover is below `belowCents` (undefined = no upper bound). */
export interface FeeBand {
  belowCents: number | undefined;
  onTimeCents: number;
  lateCents: number;
}

export interface FeeTable {
  source: string;
  effective: string;
  bands: FeeBand[];
}

/** Annual return fees as data, so a new gazette is a data change. Late amounts are totals, not add-ons. */
export const FEE_TABLES: Record<'company' | 'closeCorporation', FeeTable> = {
  company: {
    source: 'Companies Regulations 2011, Annexure 2, Table CR 2B, item 8',
    effective: '2011-05-01',
    bands: [
      { belowCents: 1_000_000_00, onTimeCents: 100_00, lateCents: 150_00 },
      { belowCents: 10_000_000_00, onTimeCents: 450_00, lateCents: 600_00 },
      { belowCents: 25_000_000_00, onTimeCents: 2_000_00, lateCents: 2_500_00 },
      { belowCents: undefined, onTimeCents: 3_000_00, lateCents: 4_000_00 },
    ],
  },
  closeCorporation: {
    // Effective date unconfirmed: CIPC publishes the CC fee with the Companies Act fee schedule.
    source: 'Close Corporations Act 69 of 1984, s15A; CIPC annual return fee schedule (late = fee + R150)',
    effective: '2011-05-01',
    bands: [
      { belowCents: 50_000_000_00, onTimeCents: 100_00, lateCents: 250_00 },
      { belowCents: undefined, onTimeCents: 4_000_00, lateCents: 4_150_00 },
    ],
  },
};
