import { hkdfSync } from 'node:crypto';

/**
 * Secrets that sign the session cookie, one per encryption key (newest first: it signs, the others still
 * verify), derived with HKDF so every replica agrees without another variable to set, and rotating
 * ENCRYPTION_KEYS rotates these too without logging anyone out until the old key is dropped.
 */
export function sessionSecrets(keys: readonly Buffer[]): string[] {
  return keys.map((key) =>
    Buffer.from(hkdfSync('sha256', key, 'cipc-agent', 'agent-session-cookie', 32)).toString('hex'),
  );
}
