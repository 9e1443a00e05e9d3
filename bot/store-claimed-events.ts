import type { Db, Tx } from '../db/create-database.js';
import { storeEvent } from '../db/store-event.js';
import type { ConversationEvent } from '../flows/conversation/conversation-event.js';

export interface ClaimedEvent {
  /** Unique per happening, so a second replica or a re-run stores nothing. */
  dedupeKey: string;
  event: ConversationEvent;
}

/**
 * For each due row, one transaction: `claim` marks the row with a conditional update and answers the event
 * it calls for (or nothing, when another replica got there first or there is nothing to say), which is
 * stored with it. Answers the conversations that got an event.
 */
export async function storeClaimedEvents<Row extends { conversationId: string }>(
  db: Db,
  rows: readonly Row[],
  claim: (tx: Tx, row: Row) => Promise<ClaimedEvent | undefined>,
): Promise<string[]> {
  const told: string[] = [];
  for (const row of rows) {
    const stored = await db.transaction(async (tx) => {
      const claimed = await claim(tx, row);
      if (!claimed) return false;
      await storeEvent(tx, {
        dedupeKey: claimed.dedupeKey,
        conversationId: row.conversationId,
        type: claimed.event.type,
        payload: claimed.event,
      });
      return true;
    });
    if (stored) told.push(row.conversationId);
  }
  return told;
}
