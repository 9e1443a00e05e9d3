import { isBusinessDay } from './is-business-day.js';
import { addDays, type IsoDate } from './iso-date.js';

/**
 * The date `count` business days after `date` (before it when negative). `date` itself is never counted,
 * so `addBusinessDays(friday, 1)` is the next Monday that is not a holiday, and a count of 0 returns
 * `date` unchanged.
 */
export function addBusinessDays(date: IsoDate, count: number): IsoDate {
  if (!Number.isInteger(count)) throw new RangeError(`business days must be a whole number: ${count}`);
  const step = Math.sign(count);
  let current = date;
  for (let remaining = Math.abs(count); remaining > 0; ) {
    current = addDays(current, step);
    if (isBusinessDay(current)) remaining--;
  }
  return current;
}
