// Deliberately loose: CIPC only needs a deliverable-looking address, and a typo shows in the summary.
const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[a-z]{2,}$/i;

/** The email address in a message ("it's thandi@acme.co.za"), lower-cased, or undefined. */
export function parseEmail(text: string): string | undefined {
  const candidate = text
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/^[<(["']+|[>)\]"'.,;:!]+$/g, ''))
    .find((word) => word.includes('@'));
  return candidate && EMAIL.test(candidate) ? candidate.toLowerCase() : undefined;
}
