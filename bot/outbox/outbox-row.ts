import type { OutboxKind, OutboxPayloads } from './outbox-commands.js';

/**
 * The shape version stamped on every outbox payload as `v`. A payload without `v` was written before
 * payloads carried one and reads as version 1. Bump it when a kind's payload changes in a way today's
 * dispatcher could not send: a dispatcher only claims rows of versions it knows (see `claim` in
 * `create-outbox-dispatcher.ts`), so during a rolling deploy an old replica leaves new rows to new ones.
 * 2: payloads that may hold personal data are sealed (`sealOutboxPayload`).
 */
export const OUTBOX_PAYLOAD_VERSION = 2;

/** An outbox row to insert, its payload stamped with this version. */
export function outboxRow<K extends OutboxKind>(conversationId: string, kind: K, payload: OutboxPayloads[K]) {
  return { conversationId, kind, payload: { ...payload, v: OUTBOX_PAYLOAD_VERSION } };
}
