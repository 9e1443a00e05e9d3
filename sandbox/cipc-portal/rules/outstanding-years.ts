import { type FilingWindow, filingWindow } from './filing-window.js';

export interface OutstandingYear extends FilingWindow {
  /** Filing today would be after the window closed: the late fee applies. */
  late: boolean;
}

/** Years whose window has opened by `today` and that have not been filed, oldest first. */
export function outstandingYears(
  kind: 'company' | 'closeCorporation',
  incorporated: string,
  filedYears: readonly number[],
  today: string,
): OutstandingYear[] {
  const years: OutstandingYear[] = [];
  for (let year = Number(incorporated.slice(0, 4)) + 1; year <= Number(today.slice(0, 4)); year += 1) {
    const window = filingWindow(kind, incorporated, year);
    if (window.opens > today || filedYears.includes(year)) continue;
    years.push({ ...window, late: today > window.closes });
  }
  return years;
}
