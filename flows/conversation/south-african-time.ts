import type { IsoDate } from '../cipc/iso-date.js';

/** South Africa keeps UTC+2 all year (no daylight saving), so a fixed offset is exact. */
export const SOUTH_AFRICA_OFFSET_MS = 2 * 60 * 60 * 1000;

/** The South African calendar day and hour of an event's `at` instant: the machine's only clock. */
export function southAfricanTime(at: string): { date: IsoDate; hour: number } {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO timestamp: ${at}`);
  const local = new Date(ms + SOUTH_AFRICA_OFFSET_MS).toISOString();
  return { date: local.slice(0, 10), hour: Number(local.slice(11, 13)) };
}
