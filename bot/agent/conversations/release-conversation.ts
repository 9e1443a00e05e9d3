import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { conversations } from '../../../db/schema.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { httpError } from '../../http-error.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ActingAgent } from './acting-agent.js';
import { heldByOther } from './held-by-other.js';
import { lockConversation } from './lock-conversation.js';
import { storeAgentEvent } from './store-agent-event.js';

/**
 * The agent hands the conversation back to the bot (`resume`: where the owner was, the question asked
 * again; `restart`: a fresh start). Whoever holds it may, an admin may for anyone, and anyone may end a
 * hold taken from AiSensy's inbox. The person dealt with the chat, so it no longer waits for one.
 */
export async function releaseConversation(
  db: Db,
  keys: KeyRing,
  conversationId: string,
  agent: ActingAgent,
  mode: 'resume' | 'restart',
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const conversation = await lockConversation(tx, conversationId);
    if (!conversation) throw httpError(404, 'not_found', `no conversation ${conversationId}`);
    if (conversation.owner !== 'agent')
      throw httpError(409, 'not_taken_over', 'the bot already has this conversation');
    const holder = conversation.assignedAgent;
    if (holder && holder.id !== agent.id && agent.role !== 'admin') throw heldByOther(conversation);
    await tx
      .update(conversations)
      .set({ owner: 'bot', assignedAgentId: null, agentActiveAt: null, needsAgent: null, updatedAt: now })
      .where(eq(conversations.id, conversationId));
    await storeAgentEvent(tx, keys, conversationId, { type: 'agent.released', at: now.toISOString(), mode });
    await recordAudit(tx, {
      actor: agent.id,
      action: 'conversation.released',
      subject: `conversation:${conversationId}`,
      details: { mode },
    });
  });
}
