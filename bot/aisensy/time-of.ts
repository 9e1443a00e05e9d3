/** AiSensy timestamps come in seconds or milliseconds, as numbers or strings. */
export function timeOf(value: number | string | undefined, fallback: Date): Date {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number)) {
    const parsed = Date.parse(String(value));
    return Number.isNaN(parsed) ? fallback : new Date(parsed);
  }
  // Anything below 10^11 is seconds (10^11 ms would be March 1973).
  return new Date(number < 1e11 ? number * 1000 : number);
}
