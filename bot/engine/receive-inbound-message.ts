import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { conversations, messages } from '../../db/schema.js';
import { storeEvent } from '../../db/store-event.js';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import { findOrCreateConversation } from './find-or-create-conversation.js';

export interface InboundMessage {
  phone: string;
  /** WhatsApp's message id (wamid): the same message delivered twice carries it twice. */
  providerMessageId: string;
  event: ConversationEvent;
  raw: unknown;
}

/**
 * Stores a user's message as an event and on the transcript, in one transaction: when this returns the
 * message is durable and the webhook may answer 2xx. A replay is a no-op (`duplicate: true`).
 */
export async function receiveInboundMessage(
  db: Db,
  inbound: InboundMessage,
): Promise<{ conversationId: string; duplicate: boolean }> {
  return db.transaction(async (tx) => {
    const { conversationId } = await findOrCreateConversation(tx, inbound.phone);
    // Taking the conversation's row lock here orders event ids per conversation by commit.
    await tx
      .update(conversations)
      .set({ lastInboundAt: sql`greatest(${conversations.lastInboundAt}, ${inbound.event.at}::timestamptz)` })
      .where(eq(conversations.id, conversationId));
    const { stored } = await storeEvent(tx, {
      dedupeKey: `wa:${inbound.providerMessageId}`,
      conversationId,
      type: inbound.event.type,
      payload: inbound.event as unknown as Record<string, unknown>,
    });
    if (stored) {
      await tx.insert(messages).values({
        conversationId,
        direction: 'in',
        author: 'user',
        providerMessageId: inbound.providerMessageId,
        kind: inbound.event.type,
        body: inbound.raw as Record<string, unknown>,
        status: 'received',
      });
    }
    return { conversationId, duplicate: !stored };
  });
}
