import { addBusinessDays } from './add-business-days.js';

export interface FilingWindow {
  year: number;
  anniversary: string;
  opens: string;
  closes: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function lastDayOfMonth(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/**
 * The window for the annual return of `year` (the year its anniversary falls in).
 * Companies: anniversary to 30 business days after (Companies Regulation 30).
 * CCs: 1st of the anniversary month to the end of the following month (CC Act s15A).
 */
export function filingWindow(
  kind: 'company' | 'closeCorporation',
  incorporated: string,
  year: number,
): FilingWindow {
  const month = Number(incorporated.slice(5, 7));
  const day = Number(incorporated.slice(8, 10));
  // A 29 February incorporation has its anniversary on 28 February in other years.
  const anniversaryDay = Math.min(day, Number(lastDayOfMonth(year, month).slice(8, 10)));
  const anniversary = `${year}-${pad(month)}-${pad(anniversaryDay)}`;
  if (kind === 'company') {
    return { year, anniversary, opens: anniversary, closes: addBusinessDays(anniversary, 30) };
  }
  const following = month === 12 ? { y: year + 1, m: 1 } : { y: year, m: month + 1 };
  return {
    year,
    anniversary,
    opens: `${year}-${pad(month)}-01`,
    closes: lastDayOfMonth(following.y, following.m),
  };
}
