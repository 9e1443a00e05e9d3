import { createHash } from 'node:crypto';

/** PHP urlencode, which PayFast's servers use: only A-Za-z0-9-_. unescaped, space as '+', upper-case %XX. */
function urlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+');
}

/**
 * PayFast's signing, the sandbox's own copy (it plays the other party): `key=urlencode(value)` joined
 * with '&' in the given order, then '&passphrase=...' when set, MD5 lower-case hex. The caller decides
 * which pairs take part (checkout: known non-empty fields in PayFast's order; ITN: every field).
 */
export function signPairs(pairs: [string, string][], passphrase?: string) {
  const parameterString = pairs.map(([key, value]) => `${key}=${urlencode(value)}`).join('&');
  const signed = passphrase
    ? `${parameterString}&passphrase=${urlencode(passphrase.trim())}`
    : parameterString;
  return { parameterString, signature: createHash('md5').update(signed).digest('hex') };
}
