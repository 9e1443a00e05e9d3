import { decryptField, encryptField, keyIdIn, keyIdOf, reencryptField } from './encrypt-field.js';

/** Encryption keys, newest first: the newest encrypts, any of them decrypts. */
export type KeyRing = readonly Buffer[];

/** A JSON value as stored when it may hold personal data: `sealed` is `encryptField` of its JSON. */
export type Sealed = { sealed: string } & Record<string, unknown>;

/**
 * The one shape every jsonb column that may hold personal data takes (event payloads, transcript bodies,
 * outbox payloads, snapshots, raw deliveries): `{ sealed: "v1:<keyId>:..." }`, one AES-256-GCM value
 * under the newest key, beside the few fields that must stay readable to SQL (`clear`: an outbox row's
 * version and transcript row id). `openJson` gives the value back with those fields merged in; a value
 * that was never sealed (written before sealing, or of a kind that holds no personal data) reads as it
 * is, so readers need not know which rows are which.
 */
export function sealJson(value: unknown, keys: KeyRing, clear: Record<string, unknown> = {}): Sealed {
  return { ...clear, sealed: encryptField(JSON.stringify(value), keys[0] as Buffer) };
}

export function openJson<T = unknown>(stored: unknown, keys: KeyRing): T {
  if (!isSealed(stored)) return stored as T;
  const { sealed, ...clear } = stored;
  const value = JSON.parse(decryptField(sealed, keys)) as unknown;
  if (Object.keys(clear).length === 0 || typeof value !== 'object' || value === null) return value as T;
  return { ...value, ...clear } as T;
}

export function isSealed(stored: unknown): stored is Sealed {
  return (
    typeof stored === 'object' &&
    stored !== null &&
    !Array.isArray(stored) &&
    typeof (stored as { sealed?: unknown }).sealed === 'string'
  );
}

/** Whether a stored value is sealed under the newest key of `keys` (rotation leaves it alone). */
export function sealedUnderNewest(stored: unknown, keys: KeyRing): boolean {
  return isSealed(stored) && keyIdIn(stored.sealed) === keyIdOf(keys[0] as Buffer);
}

/** A sealed value re-encrypted under the newest key, its clear fields kept (rotation). */
export function resealJson(stored: Sealed, keys: KeyRing): Sealed {
  return { ...stored, sealed: reencryptField(stored.sealed, keys) };
}
