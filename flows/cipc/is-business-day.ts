import Holidays from 'date-holidays';
import { DECLARED_HOLIDAYS } from './declared-holidays.js';
import { dayOfWeek, type IsoDate, parseIsoDate } from './iso-date.js';

const southAfrica = new Holidays('ZA');
const publicHolidaysByYear = new Map<number, ReadonlySet<IsoDate>>();

/** Public holidays of one year, including the Monday after a holiday that falls on a Sunday. */
function publicHolidays(year: number): ReadonlySet<IsoDate> {
  let holidays = publicHolidaysByYear.get(year);
  if (!holidays) {
    // `date` is the local calendar day ("YYYY-MM-DD 00:00:00"), whatever the process time zone is.
    holidays = new Set(
      southAfrica
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    publicHolidaysByYear.set(year, holidays);
  }
  return holidays;
}

export function isPublicHoliday(date: IsoDate): boolean {
  return DECLARED_HOLIDAYS.has(date) || publicHolidays(parseIsoDate(date).year).has(date);
}

/** A South African business day: not a Saturday, a Sunday or a public holiday. */
export function isBusinessDay(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(date);
}
