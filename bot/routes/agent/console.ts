import { type Static, Type } from '@sinclair/typebox';
import { asc, isNull } from 'drizzle-orm';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { agents } from '../../../db/schema.js';
import type { SignedInAgent } from '../../agent/auth/agent-auth.js';
import type { QueueItem, QueueState } from '../../agent/conversations/list-conversations.js';
import type { ConversationDetail } from '../../agent/conversations/read-conversation.js';
import { type AuditFilter, type AuditRow, auditView } from '../../console/audit-view.js';
import { CONSOLE_ASSETS } from '../../console/console-assets.js';
import { type ConsoleSection, consolePage, loginPage, noticePane } from '../../console/console-page.js';
import { conversationPane, emptyConversationPane } from '../../console/conversation-pane.js';
import type { FilingDetail } from '../../console/filing-panel.js';
import type { SafeHtml } from '../../console/html.js';
import { queuePane } from '../../console/queue-pane.js';
import { httpError } from '../../http-error.js';

const QueueQuery = Type.Object(
  {
    state: Type.Optional(
      Type.Union([Type.Literal('waiting'), Type.Literal('mine'), Type.Literal('bot'), Type.Literal('all')]),
    ),
    q: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
type QueueQuery = Static<typeof QueueQuery>;
const ConversationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
type ConversationParams = Static<typeof ConversationParams>;
const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 100 })),
    subject: Type.Optional(Type.String({ maxLength: 200 })),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
const AssetParams = Type.Object({ name: Type.String({ maxLength: 40 }) });
const AssetQuery = Type.Object({ v: Type.Optional(Type.String({ maxLength: 40 })) });

/**
 * Reads the console's data through the JSON API itself, with the agent's own session: the console shows
 * exactly what the API answers, checked and audited in one place, and no query is written twice.
 */
async function agentApi<T>(app: FastifyInstance, request: FastifyRequest, url: string): Promise<T> {
  const response = await app.inject({
    method: 'GET',
    url,
    headers: { cookie: request.headers.cookie ?? '', 'x-request-id': request.id },
    remoteAddress: request.ip,
  });
  if (response.statusCode !== 200) {
    let answer: { error?: string; message?: string } = {};
    try {
      answer = response.json();
    } catch {
      // Not JSON: the status says enough.
    }
    throw httpError(
      response.statusCode,
      answer.error ?? 'agent_api_failed',
      answer.message ?? `${url} answered ${response.statusCode}`,
    );
  }
  return response.json() as T;
}

function sendHtml(reply: FastifyReply, page: string | SafeHtml) {
  // Every page holds personal data: never kept by a browser cache or a proxy.
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(String(page));
}

/**
 * The support console at `/agent`: server-rendered pages and htmx fragments. Reads go through the JSON
 * API (above); writes are posted by the page straight to the JSON API with the CSRF header, and the
 * affected fragments reload on success or when the live stream (`/api/v1/agent/events`) says so.
 */
export const agentConsole: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  /** The signed-in agent, or undefined when there is no session (pages answer the login form then). */
  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<SignedInAgent | undefined> {
    try {
      await app.requireAgent(request, reply);
      return request.agent;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 401) return undefined;
      throw error;
    }
  }

  const activeAgents = () =>
    db
      .select({ id: agents.id, name: agents.name })
      .from(agents)
      .where(isNull(agents.disabledAt))
      .orderBy(asc(agents.name));

  async function queue(request: FastifyRequest, query: QueueQuery) {
    const state: QueueState = query.state ?? 'waiting';
    const q = query.q?.trim() ?? '';
    const params = new URLSearchParams({ state, ...(q && { q }) });
    const [{ conversations }, waiting] = await Promise.all([
      agentApi<{ conversations: QueueItem[] }>(app, request, `/api/v1/agent/conversations?${params}`),
      state === 'waiting'
        ? undefined
        : agentApi<{ conversations: QueueItem[] }>(app, request, '/api/v1/agent/conversations?state=waiting'),
    ]);
    return queuePane(state, q, conversations, (waiting?.conversations ?? conversations).length);
  }

  async function conversation(request: FastifyRequest, id: string) {
    const [detail, team] = await Promise.all([
      agentApi<ConversationDetail>(app, request, `/api/v1/agent/conversations/${id}`),
      activeAgents(),
    ]);
    const filing = detail.filing
      ? await agentApi<FilingDetail>(app, request, `/api/v1/agent/filings/${detail.filing.id}`)
      : null;
    return conversationPane(detail, filing, (request.agent as SignedInAgent).id, team);
  }

  async function audit(request: FastifyRequest, filter: AuditFilter) {
    const params = new URLSearchParams({ limit: '100' });
    if (filter.action?.trim()) params.set('action', filter.action.trim());
    if (filter.subject?.trim()) params.set('subject', filter.subject.trim());
    if (filter.before) params.set('before', String(filter.before));
    const { entries, next } = await agentApi<{ entries: AuditRow[]; next: number | null }>(
      app,
      request,
      `/api/v1/agent/audit?${params}`,
    );
    return auditView(entries, filter, next);
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    section: ConsoleSection,
    title: string,
    main: (agent: SignedInAgent) => Promise<SafeHtml[]>,
  ) {
    const agent = await signedIn(request, reply);
    if (!agent) return sendHtml(reply, loginPage());
    const parts = await main(agent).catch((error: { statusCode?: number; message: string }) => {
      if (error.statusCode !== 403 && error.statusCode !== 404) throw error;
      reply.code(error.statusCode);
      return [noticePane(error.message)];
    });
    return sendHtml(reply, consolePage(agent, reply.generateCsrf(), section, title, parts));
  }

  app.get(
    '/agent/assets/:name',
    { schema: { params: AssetParams, querystring: AssetQuery } },
    async (request, reply) => {
      const asset = CONSOLE_ASSETS.get((request.params as { name: string }).name);
      if (!asset) throw httpError(404, 'not_found', 'no such console asset');
      return reply
        .type(asset.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(asset.body);
    },
  );

  app.get('/agent', { schema: { querystring: QueueQuery } }, (request, reply) =>
    page(request, reply, 'queue', 'Queue', async () => [
      await queue(request, request.query as QueueQuery),
      emptyConversationPane(),
    ]),
  );

  app.get('/agent/conversations/:id', { schema: { params: ConversationParams } }, (request, reply) =>
    page(request, reply, 'queue', 'Conversation', async () => [
      await queue(request, { state: 'all' }),
      await conversation(request, (request.params as ConversationParams).id),
    ]),
  );

  app.get('/agent/audit', { schema: { querystring: AuditQuery } }, async (request, reply) =>
    page(request, reply, 'audit', 'Audit', async () => [await audit(request, request.query as AuditFilter)]),
  );

  app.get(
    '/agent/fragments/queue',
    { preHandler: app.requireAgent, schema: { querystring: QueueQuery } },
    async (request, reply) => sendHtml(reply, await queue(request, request.query as QueueQuery)),
  );

  app.get(
    '/agent/fragments/conversations/:id',
    { preHandler: app.requireAgent, schema: { params: ConversationParams } },
    async (request, reply) =>
      sendHtml(reply, await conversation(request, (request.params as ConversationParams).id)),
  );
};
