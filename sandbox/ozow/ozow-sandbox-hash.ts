import { createHash } from 'node:crypto';

/** Ozow's hash, the sandbox's own copy (it plays the other party): values + private key, lower-cased, SHA-512 hex. */
export function ozowSandboxHash(values: string[], privateKey: string): string {
  return createHash('sha512')
    .update((values.join('') + privateKey).toLowerCase())
    .digest('hex');
}
