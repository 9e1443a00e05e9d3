import { type IsoDate, parseIsoDate } from '../cipc/iso-date.js';
import { SOUTH_AFRICA_OFFSET_MS } from './south-african-time.js';

/** The instant `hour`:00 South African time on `date`, as an ISO timestamp (the inverse of `southAfricanTime`). */
export function southAfricanInstant(date: IsoDate, hour: number): string {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day, hour) - SOUTH_AFRICA_OFFSET_MS).toISOString();
}
