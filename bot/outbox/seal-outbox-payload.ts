import { type KeyRing, type Sealed, sealJson } from '../../db/seal-json.js';
import { OUTBOX_PAYLOAD_VERSION } from './outbox-row.js';

/**
 * Kinds whose payloads hold no personal data, kept in the clear: workflow starts carry ids and a company's
 * public registration number (and the unfiled-order sweeper finds a start by its `orderId`). Every other
 * kind is sealed: a WhatsApp send carries the phone, the name and the text.
 */
const CLEAR_KINDS = new Set(['temporal.startLookup', 'temporal.startFiling']);

/** Fields of a sealed payload SQL and the status handler still read: its version, its transcript row, a resend. */
const CLEAR_FIELDS = ['v', 'messageRowId', 'forceTemplate'];

export function outboxPayloadIsPersonal(kind: string): boolean {
  return !CLEAR_KINDS.has(kind);
}

/** A payload as `outbox.payload` keeps it, stamped with its version; `openJson` reads either shape. */
export function sealOutboxPayload(
  kind: string,
  payload: object,
  keys: KeyRing,
): Sealed | Record<string, unknown> {
  const stamped: Record<string, unknown> = { ...payload, v: OUTBOX_PAYLOAD_VERSION };
  if (!outboxPayloadIsPersonal(kind)) return stamped;
  const clear: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(stamped))
    (CLEAR_FIELDS.includes(field) ? clear : secret)[field] = value;
  return sealJson(secret, keys, clear);
}
