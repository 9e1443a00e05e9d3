/**
 * An ID (or passport) number as the chat shows it back: enough for the owner and an agent to recognise
 * whose it is (the birth date of a South African ID, the last two digits), not enough to use it. It is
 * typed once, stored sealed, and decrypted only where the portal needs it: nothing the bot says repeats
 * it whole. `8001015009087` → `800101•••••87`; shorter numbers keep two characters at each end.
 */
export function maskIdNumber(idNumber: string): string {
  const keep = idNumber.length >= 10 ? 6 : 2;
  if (idNumber.length <= keep + 2) return '•'.repeat(idNumber.length);
  return `${idNumber.slice(0, keep)}${'•'.repeat(idNumber.length - keep - 2)}${idNumber.slice(-2)}`;
}
