import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { conversations } from '../../../db/schema.js';
import type { KeyRing } from '../../../db/seal-json.js';
import type { AgentMessage } from '../../../flows/conversation/conversation-event.js';
import { windowClosesAt } from '../../../flows/conversation/whatsapp-window.js';
import { httpError } from '../../http-error.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ActingAgent } from './acting-agent.js';
import { AGENT_TEMPLATES, renderTemplate } from './agent-templates.js';
import { heldByOther } from './held-by-other.js';
import { lockConversation } from './lock-conversation.js';
import { storeAgentEvent } from './store-agent-event.js';

export type AgentReply = { text: string } | { template: string; params: string[] };

/**
 * What the agent holding the chat writes, stored as an `agent.message` event (the engine relays it through
 * the outbox like every send, the transcript naming the agent). Free text only while the 24-hour window is
 * open; outside it, one of the approved templates. Each message restarts the idle timer.
 */
export async function sendAgentMessage(
  db: Db,
  keys: KeyRing,
  conversationId: string,
  agent: ActingAgent,
  reply: AgentReply,
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const conversation = await lockConversation(tx, conversationId);
    if (!conversation) throw httpError(404, 'not_found', `no conversation ${conversationId}`);
    if (conversation.owner !== 'agent' || conversation.assignedAgent?.id !== agent.id)
      throw heldByOther(conversation);
    if (conversation.optedOut)
      throw httpError(409, 'opted_out', 'the owner opted out of messages (STOP): nothing can be sent');
    const message = messageOf(reply, windowClosesAt(conversation.lastInboundAt), now);
    await tx
      .update(conversations)
      .set({ agentActiveAt: now, updatedAt: now })
      .where(eq(conversations.id, conversationId));
    await storeAgentEvent(tx, keys, conversationId, {
      type: 'agent.message',
      at: now.toISOString(),
      agentId: agent.id,
      agentName: agent.name,
      message,
    });
    await recordAudit(tx, {
      actor: agent.id,
      action: 'conversation.message_sent',
      subject: `conversation:${conversationId}`,
      ...(message.template && { details: { template: message.template.name } }),
    });
  });
}

function messageOf(reply: AgentReply, closesAt: Date | null, now: Date): AgentMessage {
  if ('text' in reply) {
    if (closesAt === null || closesAt <= now) {
      const when = closesAt
        ? `closed at ${closesAt.toISOString()}`
        : 'never opened (the owner has not written)';
      throw httpError(409, 'window_closed', `the 24-hour window ${when}: send an approved template instead`);
    }
    return { text: reply.text };
  }
  const template = AGENT_TEMPLATES.find((candidate) => candidate.name === reply.template);
  if (!template) {
    const names = AGENT_TEMPLATES.map((t) => t.name).join(', ');
    throw httpError(
      400,
      'unknown_template',
      `template ${reply.template} is not one of the approved: ${names}`,
    );
  }
  if (reply.params.length !== template.paramCount) {
    throw httpError(
      400,
      'template_params',
      `template ${template.name} takes ${template.paramCount} parameters, not ${reply.params.length}`,
    );
  }
  return {
    text: renderTemplate(template, reply.params),
    template: { name: template.name, params: reply.params },
  };
}
