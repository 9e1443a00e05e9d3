import { type AnnualReturnWindow, annualReturnWindow } from './annual-return-window.js';
import type { FileableEnterpriseType } from './enterprise-type.js';
import { type IsoDate, parseIsoDate } from './iso-date.js';

/** The first annual-return window that opens after `today` ("nothing due yet, it opens on …"). */
export function nextAnnualReturn({
  enterpriseType,
  incorporationDate,
  today,
}: {
  enterpriseType: FileableEnterpriseType;
  incorporationDate: IsoDate;
  today: IsoDate;
}): AnnualReturnWindow {
  const firstYear = parseIsoDate(incorporationDate).year + 1;
  for (let year = Math.max(firstYear, parseIsoDate(today).year); ; year++) {
    const window = annualReturnWindow(enterpriseType, incorporationDate, year);
    if (window.opens > today) return window;
  }
}
