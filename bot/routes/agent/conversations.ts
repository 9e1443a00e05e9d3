import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import type { KeyRing } from '../../../db/seal-json.js';
import type { ActingAgent } from '../../agent/conversations/acting-agent.js';
import { addConversationNote } from '../../agent/conversations/add-conversation-note.js';
import { assignConversation } from '../../agent/conversations/assign-conversation.js';
import {
  listConversations,
  QUEUE_STATES,
  type QueueState,
} from '../../agent/conversations/list-conversations.js';
import { readConversation } from '../../agent/conversations/read-conversation.js';
import { releaseConversation } from '../../agent/conversations/release-conversation.js';
import { type AgentReply, sendAgentMessage } from '../../agent/conversations/send-agent-message.js';
import { takeOverConversation } from '../../agent/conversations/take-over-conversation.js';
import { httpError } from '../../http-error.js';

export interface AgentConversationRoutesOptions {
  db: Db;
  keys: KeyRing;
  /** Applies a conversation's stored events now (the engine); without it the engine's poll does. */
  kick?: (conversationId: string) => void;
}

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
type Params = { id: string };
const ListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union(QUEUE_STATES.map((state) => Type.Literal(state)))),
    q: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
const MessageBody = Type.Union([
  Type.Object(
    { text: Type.String({ minLength: 1, maxLength: 4096, pattern: '\\S' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      template: Type.String({ minLength: 1, maxLength: 100 }),
      params: Type.Array(Type.String({ minLength: 1, maxLength: 900, pattern: '\\S' }), { maxItems: 10 }),
    },
    { additionalProperties: false },
  ),
]);
const NoteBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }) },
  { additionalProperties: false },
);
const AssignBody = Type.Object(
  {
    agentId: Type.String({ format: 'uuid' }),
    reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
const ReleaseBody = Type.Object(
  { mode: Type.Union([Type.Literal('resume'), Type.Literal('restart')]) },
  { additionalProperties: false },
);

/** `request.agent` as set by the session guard, which every route here runs first. */
function actingAgent(request: FastifyRequest): ActingAgent {
  const agent = request.agent;
  if (!agent) throw httpError(401, 'unauthenticated', 'log in first: POST /api/v1/agent/login');
  return { id: agent.id, name: agent.name, role: agent.role };
}

/**
 * The conversations side of the agent console's JSON API, all behind the agent session (and its CSRF
 * token on every POST): the queue, one conversation in full, and what an agent does to it. Takeover,
 * messages, assignment and hand-back are stored as the conversation's events (the engine applies them
 * in order with the owner's messages, and the dialogue decides what the owner hears); notes are private.
 */
export const agentConversationRoutes: FastifyPluginAsync<AgentConversationRoutesOptions> = async (
  app,
  { db, keys, kick },
) => {
  const applied = (conversationId: string) => kick?.(conversationId);

  app.get<{ Querystring: { state?: QueueState; q?: string } }>(
    '/api/v1/agent/conversations',
    { preHandler: app.requireAgent, schema: { querystring: ListQuery } },
    async (request) => {
      const agent = actingAgent(request);
      const { state = 'all', q } = request.query;
      return { conversations: await listConversations(db, keys, { state, q, agentId: agent.id }) };
    },
  );

  app.get<{ Params: Params }>(
    '/api/v1/agent/conversations/:id',
    { preHandler: app.requireAgent, schema: { params: Params } },
    async (request) => {
      const detail = await readConversation(db, keys, request.params.id, actingAgent(request));
      if (!detail) throw httpError(404, 'not_found', `no conversation ${request.params.id}`);
      return detail;
    },
  );

  app.post<{ Params: Params }>(
    '/api/v1/agent/conversations/:id/takeover',
    { preHandler: app.requireAgent, schema: { params: Params } },
    async (request, reply) => {
      const result = await takeOverConversation(db, keys, request.params.id, actingAgent(request));
      if (!result.taken) {
        const message = result.holder
          ? `${result.holder.name} is handling this conversation`
          : "an agent is answering this conversation from AiSensy's inbox";
        return reply.code(409).send({ error: 'already_taken', message, agent: result.holder });
      }
      applied(request.params.id);
      return { owner: 'agent', agent: result.agent };
    },
  );

  app.post<{ Params: Params; Body: AgentReply }>(
    '/api/v1/agent/conversations/:id/messages',
    { preHandler: app.requireAgent, schema: { params: Params, body: MessageBody } },
    async (request, reply) => {
      await sendAgentMessage(db, keys, request.params.id, actingAgent(request), request.body);
      applied(request.params.id);
      return reply.code(202).send({ queued: true });
    },
  );

  app.post<{ Params: Params; Body: { text: string } }>(
    '/api/v1/agent/conversations/:id/notes',
    { preHandler: app.requireAgent, schema: { params: Params, body: NoteBody } },
    async (request, reply) => {
      const note = await addConversationNote(
        db,
        keys,
        request.params.id,
        actingAgent(request),
        request.body.text,
      );
      return reply.code(201).send(note);
    },
  );

  app.post<{ Params: Params; Body: { agentId: string; reason: string } }>(
    '/api/v1/agent/conversations/:id/assign',
    { preHandler: app.requireAgent, schema: { params: Params, body: AssignBody } },
    async (request) => {
      const { agent } = await assignConversation(
        db,
        keys,
        request.params.id,
        actingAgent(request),
        request.body,
      );
      applied(request.params.id);
      return { assignedAgent: agent };
    },
  );

  app.post<{ Params: Params; Body: { mode: 'resume' | 'restart' } }>(
    '/api/v1/agent/conversations/:id/release',
    { preHandler: app.requireAgent, schema: { params: Params, body: ReleaseBody } },
    async (request) => {
      await releaseConversation(db, keys, request.params.id, actingAgent(request), request.body.mode);
      applied(request.params.id);
      return { owner: 'bot', mode: request.body.mode };
    },
  );
};
