import { eq } from 'drizzle-orm';
import type { Tx } from '../../../db/create-database.js';
import { agents, contacts, conversations } from '../../../db/schema.js';

export interface LockedConversation {
  id: string;
  owner: 'bot' | 'agent';
  assignedAgent: { id: string; name: string } | null;
  lastInboundAt: Date | null;
  optedOut: boolean;
}

/**
 * A conversation's row, locked for the rest of the transaction: who holds it is decided here and stored
 * with the event that says so, so two agents (or an agent and the idle timer) are served one after the
 * other and the second sees what the first did.
 */
export async function lockConversation(
  tx: Tx,
  conversationId: string,
): Promise<LockedConversation | undefined> {
  // Locked alone, then read: a row waited for is re-read as the winner left it, but a join made while
  // waiting would still pair it with the agent it had before (PostgreSQL rechecks only the locked row).
  const [locked] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .for('update');
  if (!locked) return undefined;
  const [row] = await tx
    .select({
      id: conversations.id,
      owner: conversations.owner,
      assignedAgentId: conversations.assignedAgentId,
      assignedAgentName: agents.name,
      lastInboundAt: conversations.lastInboundAt,
      optedOutAt: contacts.optedOutAt,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(agents, eq(agents.id, conversations.assignedAgentId))
    .where(eq(conversations.id, conversationId));
  if (!row) return undefined;
  return {
    id: row.id,
    owner: row.owner,
    assignedAgent:
      row.assignedAgentId === null ? null : { id: row.assignedAgentId, name: row.assignedAgentName ?? '' },
    lastInboundAt: row.lastInboundAt,
    optedOut: row.optedOutAt !== null,
  };
}
