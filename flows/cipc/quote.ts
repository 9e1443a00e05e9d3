import { annualReturnFeeCents } from './annual-return-fee.js';
import type { FileableEnterpriseType } from './enterprise-type.js';
import type { TurnoverBandId } from './turnover-bands.js';

export interface QuoteYearInput {
  readonly year: number;
  readonly late: boolean;
  readonly turnoverBandId: TurnoverBandId;
}

export interface Quote {
  readonly years: readonly (QuoteYearInput & { readonly feeCents: number })[];
  /** What CIPC charges, summed over the years: checked against the portal before paying. */
  readonly cipcFeeCents: number;
  /** Our fee, once per order however many years it files. */
  readonly serviceFeeCents: number;
  readonly totalCents: number;
}

/** The price of filing the given years' annual returns, in integer cents. */
export function quoteAnnualReturns({
  enterpriseType,
  years,
  serviceFeeCents,
}: {
  enterpriseType: FileableEnterpriseType;
  years: readonly QuoteYearInput[];
  serviceFeeCents: number;
}): Quote {
  if (!Number.isInteger(serviceFeeCents) || serviceFeeCents < 0) {
    throw new RangeError(`service fee must be whole, non-negative cents: ${serviceFeeCents}`);
  }
  if (new Set(years.map(({ year }) => year)).size !== years.length) {
    throw new RangeError(`a year is quoted twice: ${years.map(({ year }) => year).join(', ')}`);
  }
  const priced = years.map((year) => ({
    year: year.year,
    late: year.late,
    turnoverBandId: year.turnoverBandId,
    feeCents: annualReturnFeeCents({ enterpriseType, turnoverBandId: year.turnoverBandId, late: year.late }),
  }));
  const cipcFeeCents = priced.reduce((sum, { feeCents }) => sum + feeCents, 0);
  return { years: priced, cipcFeeCents, serviceFeeCents, totalCents: cipcFeeCents + serviceFeeCents };
}
