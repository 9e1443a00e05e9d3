/**
 * An E.164 number as people read it aloud. South African numbers (nearly every owner) are grouped as
 * `+27 82 123 4567`; others are shown as stored, since their grouping depends on a country we would guess.
 */
export function formatPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const za = /^27(\d{2})(\d{3})(\d{4})$/.exec(digits);
  return za ? `+27 ${za[1]} ${za[2]} ${za[3]}` : `+${digits}`;
}
