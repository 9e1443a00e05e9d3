import type { Db, Tx } from './create-database.js';
import { events } from './schema.js';

/**
 * The shape version stamped on every payload stored here as `v`. A payload without `v` was written
 * before payloads carried one (or by a writer that inserts directly) and reads as version 1. Bump it when
 * a payload's shape or meaning changes, with a step in the reader that upgrades the older ones
 * (`bot/engine/read-event-payload.ts`): events wait in the table across deploys. 2: a `lookup.found`
 * carries only enterprise types and statuses we know (others are `lookup.needsPerson`).
 */
export const EVENT_PAYLOAD_VERSION = 2;

export interface NewEvent {
  /** Unique per real-world happening: a replay of the same webhook or milestone carries the same key. */
  dedupeKey: string;
  conversationId: string | null;
  type: string;
  payload: Record<string, unknown>;
}

/** Stores an event once; a duplicate dedupe key is a no-op that reports `stored: false`. */
export async function storeEvent(db: Db | Tx, event: NewEvent): Promise<{ stored: boolean; id?: number }> {
  const [row] = await db
    .insert(events)
    .values({ ...event, payload: { ...event.payload, v: EVENT_PAYLOAD_VERSION } })
    .onConflictDoNothing({ target: events.dedupeKey })
    .returning({ id: events.id });
  return row ? { stored: true, id: row.id } : { stored: false };
}
