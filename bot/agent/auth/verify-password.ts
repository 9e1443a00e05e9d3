import { timingSafeEqual } from 'node:crypto';
import { deriveScryptKey } from './hash-password.js';

/**
 * Whether `password` matches a hash written by `hashPassword`. A malformed stored value, or one whose
 * parameters would make a login cost more than 256 MiB, is a mismatch rather than an error or a stall.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const sane =
    Number.isInteger(params.N) &&
    params.N > 1 &&
    (params.N & (params.N - 1)) === 0 &&
    Number.isInteger(params.r) &&
    params.r >= 1 &&
    128 * params.N * params.r <= 2 ** 28 &&
    Number.isInteger(params.p) &&
    params.p >= 1 &&
    params.p <= 4;
  if (!sane) return false;
  const expected = Buffer.from(hash, 'base64');
  if (expected.length < 16) return false;
  const actual = await deriveScryptKey(password, Buffer.from(salt, 'base64'), params, expected.length);
  return timingSafeEqual(actual, expected);
}
