import Holidays from 'date-holidays';

const holidays = new Holidays('ZA');
const publicHolidaysByYear = new Map<number, Set<string>>();

function publicHolidays(year: number): Set<string> {
  let days = publicHolidaysByYear.get(year);
  if (!days) {
    // date-holidays already moves a Sunday holiday to the Monday ("Public Holiday") and knows declared days.
    days = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    publicHolidaysByYear.set(year, days);
  }
  return days;
}

export function isBusinessDay(isoDate: string): boolean {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !publicHolidays(Number(isoDate.slice(0, 4))).has(isoDate);
}

/** The date `count` business days after `isoDate` (the start day itself is not counted). */
export function addBusinessDays(isoDate: string, count: number): string {
  const day = new Date(`${isoDate}T00:00:00Z`);
  let left = count;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (isBusinessDay(day.toISOString().slice(0, 10))) left -= 1;
  }
  return day.toISOString().slice(0, 10);
}
