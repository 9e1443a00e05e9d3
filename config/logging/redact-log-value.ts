import { stdSerializers } from 'pino';
import { maskPersonalData, maskPhoneNumber } from './mask-personal-data.js';

// Keys whose values are never logged, whatever they hold: credentials and signatures, and the personal
// data fields we know by name.
const SECRET_KEY =
  /pass(word|phrase)?|pwd|secret|signature|token|cookie|authori[sz]ation|api[-_]?key|private[-_]?key/i;
const EMAIL_KEY = /e-?mail/i;
const ID_NUMBER_KEY = /^id[-_]?(number|no)$|identity/i;
const PHONE_KEY = /phone|msisdn|wa[-_]?id/i;
const MAX_DEPTH = 8;

function redactKey(key: string, value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'number') {
    return SECRET_KEY.test(key) && typeof value === 'number' ? '[redacted]' : value;
  }
  if (SECRET_KEY.test(key)) return '[redacted]';
  if (EMAIL_KEY.test(key) && typeof value === 'string') return '[email]';
  if (ID_NUMBER_KEY.test(key) && typeof value === 'string') return '[ID number]';
  if (PHONE_KEY.test(key) && typeof value === 'string') return maskPhoneNumber(value);
  return undefined;
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  seen.add(value);
  if (value instanceof Error) return redact(stdSerializers.err(value), depth, seen);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = redactKey(key, item) ?? redact(item, depth + 1, seen);
  }
  return out;
}

/**
 * A log line's object as it may be written: credentials and signatures dropped by key, emails and ID
 * numbers replaced, phone numbers masked, and every string (error messages and stacks included) masked by
 * `maskPersonalData`. Errors become pino's `{type, message, stack}` first.
 */
export function redactLogValue<T>(value: T): T {
  return redact(value, 0, new WeakSet()) as T;
}
