import type { Db, Tx } from './create-database.js';
import { events } from './schema.js';

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
    .values(event)
    .onConflictDoNothing({ target: events.dedupeKey })
    .returning({ id: events.id });
  return row ? { stored: true, id: row.id } : { stored: false };
}
