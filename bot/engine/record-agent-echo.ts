import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { conversations, messages } from '../../db/schema.js';
import { type KeyRing, sealJson } from '../../db/seal-json.js';
import { findOrCreateConversation } from './find-or-create-conversation.js';

/**
 * An agent wrote to the user from AiSensy's own inbox: the bot falls silent in that chat until an agent
 * hands it back, so the two never talk over each other.
 */
export async function recordAgentEcho(
  db: Db,
  keys: KeyRing,
  echo: { phone: string; providerMessageId: string; raw: unknown },
): Promise<{ conversationId: string }> {
  return db.transaction(async (tx) => {
    const { conversationId } = await findOrCreateConversation(tx, echo.phone);
    await tx
      .update(conversations)
      .set({ owner: 'agent', updatedAt: new Date() })
      .where(eq(conversations.id, conversationId));
    await tx
      .insert(messages)
      .values({
        conversationId,
        direction: 'out',
        author: 'agent',
        providerMessageId: echo.providerMessageId,
        kind: 'agent.text',
        body: sealJson(echo.raw, keys),
        status: 'sent',
      })
      .onConflictDoNothing();
    return { conversationId };
  });
}
