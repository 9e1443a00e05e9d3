import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { agents, conversations } from '../../../db/schema.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { httpError } from '../../http-error.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ActingAgent } from './acting-agent.js';
import { heldByOther } from './held-by-other.js';
import { lockConversation } from './lock-conversation.js';
import { storeAgentEvent } from './store-agent-event.js';

/**
 * Assigns the conversation to an agent, with why. While the bot has it, that only puts it in their Mine
 * view; while a person holds it, the hold passes to them (only its holder or an admin may pass it on) and
 * the owner is told who is with them now. Stored as an `agent.assigned` event, which also marks the
 * transcript.
 */
export async function assignConversation(
  db: Db,
  keys: KeyRing,
  conversationId: string,
  by: ActingAgent,
  assignment: { agentId: string; reason: string },
  now = new Date(),
): Promise<{ agent: { id: string; name: string } }> {
  return db.transaction(async (tx) => {
    const conversation = await lockConversation(tx, conversationId);
    if (!conversation) throw httpError(404, 'not_found', `no conversation ${conversationId}`);
    const [to] = await tx
      .select({ id: agents.id, name: agents.name })
      .from(agents)
      .where(and(eq(agents.id, assignment.agentId), isNull(agents.disabledAt)));
    if (!to) throw httpError(400, 'unknown_agent', `no active agent ${assignment.agentId}`);
    const held = conversation.owner === 'agent';
    const holder = conversation.assignedAgent;
    if (held && holder && holder.id !== by.id && by.role !== 'admin') throw heldByOther(conversation);
    await tx
      .update(conversations)
      .set({ assignedAgentId: to.id, ...(held && { agentActiveAt: now }), updatedAt: now })
      .where(eq(conversations.id, conversationId));
    await storeAgentEvent(tx, keys, conversationId, {
      type: 'agent.assigned',
      at: now.toISOString(),
      agentId: to.id,
      agentName: to.name,
      reason: assignment.reason,
    });
    await recordAudit(tx, {
      actor: by.id,
      action: 'conversation.assigned',
      subject: `conversation:${conversationId}`,
      details: { to: to.id, held },
    });
    return { agent: to };
  });
}
