import { and, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { orders } from '../../db/schema.js';
import type { KeyRing } from '../../db/seal-json.js';
import { storeEvent } from '../../db/store-event.js';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import { findOrCreateConversation } from './find-or-create-conversation.js';
import { sealEventPayload } from './seal-event-payload.js';

/**
 * Stores a website intake as an event of the phone's conversation (created or joined), sealed (a name and
 * an email); a replay is a no-op.
 */
export async function receiveTypebotIntake(
  db: Db,
  keys: KeyRing,
  intake: { resultId: string; phone: string; event: Extract<ConversationEvent, { type: 'typebot.intake' }> },
): Promise<{ conversationId: string; duplicate: boolean }> {
  return db.transaction(async (tx) => {
    const { conversationId } = await findOrCreateConversation(tx, intake.phone);
    const { stored } = await storeEvent(tx, {
      dedupeKey: `typebot:${intake.resultId}`,
      conversationId,
      type: intake.event.type,
      payload: sealEventPayload(intake.event, keys),
    });
    return { conversationId, duplicate: !stored };
  });
}

/** The payment link of the conversation's newest unpaid, unexpired order, if any. */
export async function openPaymentToken(
  db: Db,
  conversationId: string,
  now: Date,
): Promise<string | undefined> {
  const [order] = await db
    .select({ payToken: orders.payToken })
    .from(orders)
    .where(
      and(
        eq(orders.conversationId, conversationId),
        eq(orders.status, 'awaiting_payment'),
        gt(orders.payTokenExpiresAt, now),
      ),
    )
    .orderBy(desc(orders.createdAt))
    .limit(1);
  return order?.payToken;
}
