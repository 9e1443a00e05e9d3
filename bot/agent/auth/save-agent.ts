import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { agentSessions, agents } from '../../../db/schema.js';
import type { AgentRole } from './agent-auth.js';
import { normaliseEmail } from './attempt-login.js';
import { hashPassword } from './hash-password.js';

export const MIN_PASSWORD_LENGTH = 12;

export interface AgentToSave {
  email: string;
  password: string;
  role: AgentRole;
  name?: string;
}

/** Why these details cannot make an agent, or undefined when they can. */
export function agentProblem(agent: AgentToSave): string | undefined {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normaliseEmail(agent.email)))
    return 'email must be an email address';
  if (agent.password.length < MIN_PASSWORD_LENGTH) {
    return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  }
  if (agent.role !== 'agent' && agent.role !== 'admin') return 'role must be agent or admin';
  return undefined;
}

/**
 * Creates the agent, or (`mode: 'upsert'`) resets an existing one with the same email: new password and
 * role, enabled and unlocked, its sessions ended — how an admin who lost their password gets back in.
 * `create` leaves an existing agent untouched and says so.
 */
export async function saveAgent(
  db: Db,
  agent: AgentToSave,
  mode: 'create' | 'upsert',
): Promise<{ outcome: 'created' | 'updated' | 'exists'; id: string; name: string }> {
  const email = normaliseEmail(agent.email);
  const passwordHash = await hashPassword(agent.password);
  const name = agent.name?.trim() || (email.split('@')[0] as string);
  const [created] = await db
    .insert(agents)
    .values({ email, name, role: agent.role, passwordHash })
    .onConflictDoNothing({ target: agents.email })
    .returning({ id: agents.id, name: agents.name });
  if (created) return { outcome: 'created', ...created };
  if (mode === 'create') {
    const [existing] = await db
      .select({ id: agents.id, name: agents.name })
      .from(agents)
      .where(eq(agents.email, email));
    return { outcome: 'exists', ...(existing as { id: string; name: string }) };
  }
  const [updated] = await db
    .update(agents)
    .set({
      role: agent.role,
      passwordHash,
      disabledAt: null,
      failedLogins: 0,
      lockedUntil: null,
      updatedAt: new Date(),
      ...(agent.name?.trim() ? { name: agent.name.trim() } : {}),
    })
    .where(eq(agents.email, email))
    .returning({ id: agents.id, name: agents.name });
  const { id } = updated as { id: string; name: string };
  // A reset is what follows a lost or leaked password: whoever held a session with the old one is out.
  await db.delete(agentSessions).where(eq(agentSessions.agentId, id));
  return { outcome: 'updated', ...(updated as { id: string; name: string }) };
}
