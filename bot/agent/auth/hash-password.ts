import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** OWASP's scrypt floor (N=2^17 costs 128 MiB a login; 2^15 at r=8 is 32 MiB, still far beyond a GPU's budget per guess). */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
export const SCRYPT_KEY_LENGTH = 32;

/** scrypt's memory is 128·N·r bytes; node's default ceiling (32 MiB) is exactly that, so leave headroom. */
export function scryptMaxmem(N: number, r: number): number {
  return 256 * N * r;
}

export function deriveScryptKey(
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
  keyLength: number,
): Promise<Buffer> {
  return scryptAsync(password.normalize('NFKC'), salt, keyLength, {
    ...params,
    maxmem: scryptMaxmem(params.N, params.r),
  });
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await deriveScryptKey(password, salt, SCRYPT_PARAMS, SCRYPT_KEY_LENGTH);
  const { N, r, p } = SCRYPT_PARAMS;
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}
