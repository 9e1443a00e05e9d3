import { type Static, Type } from '@sinclair/typebox';
import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { agents, auditLog } from '../../../db/schema.js';

export const AuditQuery = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** The `next` of the previous page: entries older than that one. */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);
type AuditQuery = Static<typeof AuditQuery>;

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  subject: Type.String(),
  details: Type.Unknown(),
});
const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  next: Type.Union([Type.Integer(), Type.Null()]),
});

/** The audit log for admins, newest first, a page at a time, narrowed by subject, actor or action. */
export const agentAuditRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/v1/agent/audit',
    {
      preHandler: app.requireAdmin,
      schema: { querystring: AuditQuery, response: { 200: AuditPage } },
    },
    async (request) => {
      const query = request.query as AuditQuery;
      const filters: SQL[] = [];
      if (query.subject) filters.push(eq(auditLog.subject, query.subject));
      if (query.actor) filters.push(eq(auditLog.actor, query.actor));
      if (query.action) filters.push(eq(auditLog.action, query.action));
      if (query.before) filters.push(lt(auditLog.id, query.before));
      const rows = await db
        .select({
          id: auditLog.id,
          at: auditLog.at,
          actor: auditLog.actor,
          actorName: agents.name,
          action: auditLog.action,
          subject: auditLog.subject,
          details: auditLog.details,
        })
        .from(auditLog)
        .leftJoin(agents, sql`${agents.id}::text = ${auditLog.actor}`)
        .where(and(...filters))
        .orderBy(desc(auditLog.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit);
      return {
        entries: page.map((row) => ({ ...row, at: row.at.toISOString() })),
        next: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
};
