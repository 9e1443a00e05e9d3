import { TURNOVER_BANDS } from '../cipc/turnover-bands.js';

/**
 * The turnover entered on the portal for a year whose owner chose a band, not an amount. CIPC's fee
 * depends only on the band, so any amount inside it yields the quoted fee. We enter the band's midpoint
 * (whole rand) for bounded bands and the lower bound for the open top band: a plausible figure that is
 * never at a boundary, so rounding cannot move it into a neighbouring band.
 */
export function representativeTurnoverCents(bandId: string): number {
  const band = TURNOVER_BANDS.find((candidate) => candidate.id === bandId);
  if (!band) throw new RangeError(`unknown turnover band ${bandId}`);
  if (band.belowCents === undefined) return band.fromCents;
  return Math.floor((band.fromCents + band.belowCents) / 2 / 100) * 100;
}
