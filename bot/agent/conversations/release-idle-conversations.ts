import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { conversations } from '../../../db/schema.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { recordAudit } from '../audit/record-audit.js';
import { storeAgentEvent } from './store-agent-event.js';

/**
 * Hands back to the bot every conversation an agent has held for `idleMs` without a word (no takeover,
 * message or AiSensy echo since), so no chat stays muted forever: each as an `agent.released` event
 * (resume), claimed with a conditional update so replicas and re-runs release each hold once, and an
 * agent who writes meanwhile keeps it. The chat keeps its `needs_agent` reason: a person walked away, the
 * problem may not have. Answers the conversations handed back.
 */
export async function releaseIdleConversations(
  db: Db,
  keys: KeyRing,
  options: { now: Date; idleMs: number },
): Promise<string[]> {
  const cutoff = new Date(options.now.getTime() - options.idleMs);
  const idle = and(
    eq(conversations.owner, 'agent'),
    or(isNull(conversations.agentActiveAt), lt(conversations.agentActiveAt, cutoff)),
  );
  const candidates = await db.select({ id: conversations.id }).from(conversations).where(idle);
  const released: string[] = [];
  for (const { id } of candidates) {
    const done = await db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(conversations)
        .set({ owner: 'bot', assignedAgentId: null, agentActiveAt: null, updatedAt: options.now })
        .where(and(eq(conversations.id, id), idle))
        .returning({ id: conversations.id });
      if (!claimed) return false;
      await storeAgentEvent(tx, keys, id, {
        type: 'agent.released',
        at: options.now.toISOString(),
        mode: 'resume',
        idle: true,
      });
      await recordAudit(tx, {
        actor: 'system',
        action: 'conversation.released_idle',
        subject: `conversation:${id}`,
        details: { idleMinutes: Math.round(options.idleMs / 60_000) },
      });
      return true;
    });
    if (done) released.push(id);
  }
  return released;
}
