/** The calendar date (YYYY-MM-DD) in South Africa (UTC+2 all year, no daylight saving) at an instant. */
export function sastDate(instant: Date): string {
  return new Date(instant.getTime() + 2 * 3_600_000).toISOString().slice(0, 10);
}
