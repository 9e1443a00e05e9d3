import { addBusinessDays } from './add-business-days.js';
import type { FileableEnterpriseType } from './enterprise-type.js';
import { daysInMonth, type IsoDate, isoDate, parseIsoDate } from './iso-date.js';

/** When one year's annual return can be filed on time: `opens` to `due`, both days included. */
export interface AnnualReturnWindow {
  /** The calendar year of the anniversary: CIPC's "annual return year". */
  readonly year: number;
  readonly opens: IsoDate;
  /** The last day a filing is on time; from the next day the late fee applies. */
  readonly due: IsoDate;
}

/** Companies Regulation 30(1): within 30 business days after the anniversary of incorporation. */
export const COMPANY_FILING_BUSINESS_DAYS = 30;

/**
 * The anniversary of incorporation in `year`. A 29 February incorporation has its anniversary on
 * 28 February in other years: that keeps the anniversary inside the incorporation month (as for CCs,
 * whose window is month-based), and it matches .NET's `DateTime.AddYears`, which the ASP.NET portal most
 * likely uses. If CIPC used 1 March instead, we would only ever warn a day early, never promise an
 * on-time fee for a return the portal already charges as late.
 */
export function anniversaryOf(incorporationDate: IsoDate, year: number): IsoDate {
  const { month, day } = parseIsoDate(incorporationDate);
  return isoDate(year, month, Math.min(day, daysInMonth(year, month)));
}

/**
 * The window for the annual return of `year`, the calendar year of an anniversary (a company
 * incorporated 2019-03-14 files its 2020 return from 2020-03-14).
 *
 * Companies: opens on the anniversary. "Within 30 business days after" the anniversary is counted the
 * usual way for periods of days (Interpretation Act s4): the anniversary itself is excluded, the 30th
 * business day after it is included. So `due` is the 30th business day after the anniversary, and a
 * return filed that day is on time.
 *
 * Close corporations (CC Act s15A): from the 1st day of the anniversary month to the last day of the
 * following month. The Act counts calendar months, so `due` is that month end even on a weekend.
 */
export function annualReturnWindow(
  enterpriseType: FileableEnterpriseType,
  incorporationDate: IsoDate,
  year: number,
): AnnualReturnWindow {
  const incorporated = parseIsoDate(incorporationDate);
  if (!Number.isInteger(year) || year <= incorporated.year) {
    throw new RangeError(`no annual return for ${year}: incorporated on ${incorporationDate}`);
  }
  if (enterpriseType === 'close-corporation') {
    const dueYear = incorporated.month === 12 ? year + 1 : year;
    const dueMonth = (incorporated.month % 12) + 1;
    return {
      year,
      opens: isoDate(year, incorporated.month, 1),
      due: isoDate(dueYear, dueMonth, daysInMonth(dueYear, dueMonth)),
    };
  }
  const opens = anniversaryOf(incorporationDate, year);
  return { year, opens, due: addBusinessDays(opens, COMPANY_FILING_BUSINESS_DAYS) };
}
