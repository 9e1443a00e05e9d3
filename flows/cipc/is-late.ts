import type { AnnualReturnWindow } from './annual-return-window.js';
import { type IsoDate, parseIsoDate } from './iso-date.js';

/** A return is late when it is filed after the last day of its window. */
export function isLate(window: Pick<AnnualReturnWindow, 'due'>, filedOn: IsoDate): boolean {
  parseIsoDate(filedOn); // throws on a malformed date, which would compare wrongly as a string
  return filedOn > window.due;
}
