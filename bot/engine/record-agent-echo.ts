import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { conversations, messages } from '../../db/schema.js';
import { type KeyRing, sealJson } from '../../db/seal-json.js';
import { storeAgentEvent } from '../agent/conversations/store-agent-event.js';
import { findOrCreateConversation } from './find-or-create-conversation.js';

/**
 * An agent wrote to the user from AiSensy's own inbox: it is on the transcript, and the chat is held as a
 * console takeover is (an `agent.joined` event, without a name: the agent's own message greets the owner),
 * so the bot and the person never talk over each other. Each echo restarts the idle timer, which hands the
 * chat back once the agent stops writing: no chat stays muted forever. A second copy of an echo does nothing.
 */
export async function recordAgentEcho(
  db: Db,
  keys: KeyRing,
  echo: { phone: string; providerMessageId: string; raw: unknown },
  now = new Date(),
): Promise<{ conversationId: string }> {
  return db.transaction(async (tx) => {
    const { conversationId } = await findOrCreateConversation(tx, echo.phone);
    const [recorded] = await tx
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
      .onConflictDoNothing()
      .returning({ id: messages.id });
    if (!recorded) return { conversationId };
    const [held] = await tx
      .update(conversations)
      .set({ owner: 'agent', agentActiveAt: now, updatedAt: now })
      .where(and(eq(conversations.id, conversationId), eq(conversations.owner, 'bot')))
      .returning({ id: conversations.id });
    if (held) {
      await storeAgentEvent(tx, keys, conversationId, { type: 'agent.joined', at: now.toISOString() });
    } else {
      await tx
        .update(conversations)
        .set({ agentActiveAt: now, updatedAt: now })
        .where(eq(conversations.id, conversationId));
    }
    return { conversationId };
  });
}
