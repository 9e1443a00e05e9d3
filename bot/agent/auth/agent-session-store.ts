import { createHash } from 'node:crypto';
import type { SessionStore } from '@fastify/session';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Session } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { agentSessions } from '../../../db/schema.js';

/** How long a session lives without a request; each request from the console renews it (rolling). */
export const SESSION_MAX_AGE_MS = 12 * 3_600_000;

/** The stored key: a hash of the session id, so the table alone cannot be replayed as cookies. */
function storedIdOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

type Callback = (err?: unknown) => void;

/**
 * @fastify/session's store over `agent_sessions`, so every replica (and PGlite) sees the same sessions and
 * a restart logs nobody out. Rows past `expires_at` read as absent; the retention job deletes them.
 */
export function createAgentSessionStore(db: Db): SessionStore {
  return {
    set(sessionId: string, session: Session, callback: Callback) {
      const data = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
      const expires = session.cookie.expires ?? new Date(Date.now() + SESSION_MAX_AGE_MS);
      const row = {
        agentId: session.agentId ?? null,
        data,
        expiresAt: new Date(expires),
        updatedAt: new Date(),
      };
      db.insert(agentSessions)
        .values({ id: storedIdOf(sessionId), ...row })
        .onConflictDoUpdate({ target: agentSessions.id, set: row })
        .then(() => callback(), callback);
    },
    get(sessionId: string, callback: (err: unknown, session?: Session | null) => void) {
      db.select({ data: agentSessions.data })
        .from(agentSessions)
        .where(and(eq(agentSessions.id, storedIdOf(sessionId)), gt(agentSessions.expiresAt, sql`now()`)))
        .then(
          ([row]) => callback(null, (row?.data as Session | undefined) ?? null),
          (err) => callback(err),
        );
    },
    destroy(sessionId: string, callback: Callback) {
      db.delete(agentSessions)
        .where(eq(agentSessions.id, storedIdOf(sessionId)))
        .then(() => callback(), callback);
    },
  };
}
