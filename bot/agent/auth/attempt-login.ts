import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { agents } from '../../../db/schema.js';
import type { SignedInAgent } from './agent-auth.js';
import { hashPassword } from './hash-password.js';
import { verifyPassword } from './verify-password.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_OUT_MS = 15 * 60_000;

export type LoginOutcome =
  | { ok: true; agent: SignedInAgent }
  | { ok: false; reason: 'wrong_credentials' }
  /** `lockedNow`: this attempt was the one that locked the account (worth an audit row). */
  | { ok: false; reason: 'locked'; until: Date; agentId: string; lockedNow: boolean };

let decoyHash: Promise<string> | undefined;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Checks an email and password. An unknown email costs the same scrypt as a known one (against a decoy
 * hash), so the answer's timing does not say which accounts exist. The fifth wrong password in a row
 * locks the account for 15 minutes, counted in the database so every replica enforces the same count;
 * while locked even the right password is refused, and tries do not extend the lock.
 */
export async function attemptLogin(
  db: Db,
  credentials: { email: string; password: string },
  now = new Date(),
): Promise<LoginOutcome> {
  const [agent] = await db
    .select()
    .from(agents)
    .where(eq(agents.email, normaliseEmail(credentials.email)));
  if (agent?.lockedUntil && agent.lockedUntil > now)
    return { ok: false, reason: 'locked', until: agent.lockedUntil, agentId: agent.id, lockedNow: false };
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const matches = await verifyPassword(credentials.password, agent?.passwordHash ?? (await decoyHash));
  if (!agent) return { ok: false, reason: 'wrong_credentials' };
  if (!matches) {
    const lockUntil = new Date(now.getTime() + LOCK_OUT_MS);
    const [counted] = await db
      .update(agents)
      .set({
        failedLogins: sql`case when ${agents.failedLogins} + 1 >= ${MAX_FAILED_LOGINS} then 0 else ${agents.failedLogins} + 1 end`,
        lockedUntil: sql`case when ${agents.failedLogins} + 1 >= ${MAX_FAILED_LOGINS} then ${lockUntil.toISOString()}::timestamptz else ${agents.lockedUntil} end`,
      })
      .where(eq(agents.id, agent.id))
      .returning({ lockedUntil: agents.lockedUntil });
    if (counted?.lockedUntil && counted.lockedUntil > now)
      return { ok: false, reason: 'locked', until: counted.lockedUntil, agentId: agent.id, lockedNow: true };
    return { ok: false, reason: 'wrong_credentials' };
  }
  // A disabled account answers like a wrong password: the caller learns nothing about it.
  if (agent.disabledAt) return { ok: false, reason: 'wrong_credentials' };
  await db
    .update(agents)
    .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now })
    .where(eq(agents.id, agent.id));
  return { ok: true, agent: { id: agent.id, email: agent.email, name: agent.name, role: agent.role } };
}
