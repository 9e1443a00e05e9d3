import { type KeyRing, type Sealed, sealJson } from '../../db/seal-json.js';

/**
 * Event types whose payloads hold no personal data, stored in the clear: ids, amounts, times, what the
 * public CIPC register says about an enterprise (its registration number and name are public, and not a
 * natural person's), AR references. Every other type is sealed: what a user typed or tapped (`user.*`:
 * anything, an ID number or an email included), a website intake (name, email), what an agent wrote.
 */
const CLEAR_TYPES = ['lookup.', 'payment.', 'order.', 'filing.', 'reminder.'];

export function eventPayloadIsPersonal(type: string): boolean {
  return !CLEAR_TYPES.some((prefix) => type.startsWith(prefix));
}

/** An event payload as `events.payload` keeps it: sealed whole when it may hold personal data. */
export function sealEventPayload(
  payload: { type: string } & Record<string, unknown>,
  keys: KeyRing,
): Sealed | Record<string, unknown> {
  return eventPayloadIsPersonal(payload.type) ? sealJson(payload, keys) : payload;
}
