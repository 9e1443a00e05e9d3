import { type AnnualReturnWindow, annualReturnWindow } from './annual-return-window.js';
import type { FileableEnterpriseType } from './enterprise-type.js';
import { isLate } from './is-late.js';
import { type IsoDate, parseIsoDate } from './iso-date.js';

export interface OutstandingAnnualReturn extends AnnualReturnWindow {
  /** Already late if filed today: the late fee applies. */
  readonly late: boolean;
}

export interface AnnualReturnHistory {
  readonly enterpriseType: FileableEnterpriseType;
  readonly incorporationDate: IsoDate;
  readonly filedYears: readonly number[];
  readonly today: IsoDate;
}

/** Every annual return whose window has opened by `today` and that is not filed, oldest first. */
export function outstandingAnnualReturns({
  enterpriseType,
  incorporationDate,
  filedYears,
  today,
}: AnnualReturnHistory): OutstandingAnnualReturn[] {
  const firstYear = parseIsoDate(incorporationDate).year + 1;
  const outstanding: OutstandingAnnualReturn[] = [];
  for (let year = firstYear; year <= parseIsoDate(today).year; year++) {
    if (filedYears.includes(year)) continue;
    const window = annualReturnWindow(enterpriseType, incorporationDate, year);
    if (window.opens <= today) outstanding.push({ ...window, late: isLate(window, today) });
  }
  return outstanding;
}
