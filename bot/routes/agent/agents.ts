import { type Static, Type } from '@sinclair/typebox';
import { asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { agentSessions, agents } from '../../../db/schema.js';
import { recordAudit } from '../../agent/audit/record-audit.js';
import { agentProblem, MIN_PASSWORD_LENGTH, saveAgent } from '../../agent/auth/save-agent.js';
import { httpError } from '../../http-error.js';

const Role = Type.Union([Type.Literal('agent'), Type.Literal('admin')]);
export const NewAgent = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Role,
  },
  { additionalProperties: false },
);
type NewAgent = Static<typeof NewAgent>;
const AgentParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const AgentSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Role,
  active: Type.Boolean(),
  /** Admins only: the rest is account administration. */
  email: Type.Optional(Type.String()),
  lastLoginAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  lockedUntil: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

type AgentRow = typeof agents.$inferSelect;
function summaryOf(row: AgentRow, forAdmin: boolean) {
  const summary = { id: row.id, name: row.name, role: row.role, active: row.disabledAt === null };
  if (!forAdmin) return summary;
  return {
    ...summary,
    email: row.email,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    lockedUntil: row.lockedUntil?.toISOString() ?? null,
  };
}

/**
 * The team: every agent may list it (to assign or transfer a chat); admins see the account details, add
 * agents and disable them. Agents are disabled, never deleted: the audit log and past chats name them.
 */
export const agentAccountRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/v1/agent/agents',
    {
      preHandler: app.requireAgent,
      schema: { response: { 200: Type.Object({ agents: Type.Array(AgentSummary) }) } },
    },
    async (request) => {
      const forAdmin = request.agent?.role === 'admin';
      const rows = await db.select().from(agents).orderBy(asc(agents.name));
      return { agents: rows.map((row) => summaryOf(row, forAdmin)) };
    },
  );

  app.post(
    '/api/v1/agent/agents',
    {
      preHandler: app.requireAdmin,
      schema: { body: NewAgent, response: { 201: Type.Object({ agent: AgentSummary }) } },
    },
    async (request, reply) => {
      const body = request.body as NewAgent;
      const problem = agentProblem(body);
      if (problem) throw httpError(400, 'invalid_agent', problem);
      const admin = request.agent as NonNullable<typeof request.agent>;
      const saved = await saveAgent(db, body, 'create');
      if (saved.outcome === 'exists')
        throw httpError(409, 'agent_exists', 'an agent with this email exists already');
      await recordAudit(db, {
        actor: admin.id,
        action: 'agent.created',
        subject: `agent:${saved.id}`,
        details: { role: body.role },
      });
      const [row] = await db.select().from(agents).where(eq(agents.id, saved.id));
      return reply.code(201).send({ agent: summaryOf(row as AgentRow, true) });
    },
  );

  app.post(
    '/api/v1/agent/agents/:id/disable',
    {
      preHandler: app.requireAdmin,
      schema: { params: AgentParams, response: { 200: Type.Object({ agent: AgentSummary }) } },
    },
    async (request) => {
      const { id } = request.params as Static<typeof AgentParams>;
      const admin = request.agent as NonNullable<typeof request.agent>;
      if (id === admin.id) {
        throw httpError(409, 'cannot_disable_self', 'an admin cannot disable their own account');
      }
      const row = await db.transaction(async (tx) => {
        const [disabled] = await tx
          .update(agents)
          .set({ disabledAt: new Date(), updatedAt: new Date() })
          .where(eq(agents.id, id))
          .returning();
        if (!disabled) return undefined;
        // Their open sessions end now, on every replica.
        await tx.delete(agentSessions).where(eq(agentSessions.agentId, id));
        await recordAudit(tx, { actor: admin.id, action: 'agent.disabled', subject: `agent:${id}` });
        return disabled;
      });
      if (!row) throw httpError(404, 'agent_not_found', `no agent ${id}`);
      return { agent: summaryOf(row, true) };
    },
  );
};
