/**
 * A time AiSensy sent: message times (`sent_at`, `delivered_at`, …) are milliseconds, the envelope's
 * `created_at` an ISO string; null, empty or unreadable means "not given". Seconds are read too (anything
 * below 10^11, which as milliseconds would be March 1973), in case a number arrives in that unit.
 */
export function timeOf(value: number | string | null | undefined, fallback: Date): Date {
  if (value === undefined || value === null || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number)) {
    const parsed = Date.parse(String(value));
    return Number.isNaN(parsed) ? fallback : new Date(parsed);
  }
  return new Date(number < 1e11 ? number * 1000 : number);
}
