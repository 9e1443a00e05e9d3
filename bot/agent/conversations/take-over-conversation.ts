import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { conversations } from '../../../db/schema.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { httpError } from '../../http-error.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ActingAgent } from './acting-agent.js';
import { lockConversation } from './lock-conversation.js';
import { storeAgentEvent } from './store-agent-event.js';

export type TakeoverResult =
  | { taken: true; agent: { id: string; name: string } }
  /** Someone else holds it: `holder` null when it is an agent answering from AiSensy's inbox. */
  | { taken: false; holder: { id: string; name: string } | null };

/**
 * An agent takes the conversation over: exactly one of several agents trying at once wins, because the
 * row is locked and the hold is written with its `agent.joined` event in one transaction; the others are
 * told who has it. Taking over a conversation one already holds changes nothing.
 */
export async function takeOverConversation(
  db: Db,
  keys: KeyRing,
  conversationId: string,
  agent: ActingAgent,
  now = new Date(),
): Promise<TakeoverResult> {
  return db.transaction(async (tx) => {
    const conversation = await lockConversation(tx, conversationId);
    if (!conversation) throw httpError(404, 'not_found', `no conversation ${conversationId}`);
    const me = { id: agent.id, name: agent.name };
    if (conversation.owner === 'agent') {
      if (conversation.assignedAgent?.id === agent.id) return { taken: true, agent: me };
      return { taken: false, holder: conversation.assignedAgent };
    }
    await tx
      .update(conversations)
      .set({ owner: 'agent', assignedAgentId: agent.id, agentActiveAt: now, updatedAt: now })
      .where(eq(conversations.id, conversationId));
    await storeAgentEvent(tx, keys, conversationId, {
      type: 'agent.joined',
      at: now.toISOString(),
      agentId: agent.id,
      agentName: agent.name,
    });
    await recordAudit(tx, {
      actor: agent.id,
      action: 'conversation.taken_over',
      subject: `conversation:${conversationId}`,
    });
    return { taken: true, agent: me };
  });
}
