import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../../config/load-config.js';
import type { Db } from '../../../db/create-database.js';
import { agents } from '../../../db/schema.js';
import { httpError } from '../../http-error.js';
import { createAgentSessionStore, SESSION_MAX_AGE_MS } from './agent-session-store.js';
import { sessionSecrets } from './session-secrets.js';

export type AgentRole = 'agent' | 'admin';

export interface SignedInAgent {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface Session {
    agentId?: string;
    /** The CSRF secret @fastify/csrf-protection keeps in the session. */
    _csrf?: string;
  }
  interface FastifyInstance {
    /** preHandler: a signed-in, enabled agent of any role (401 otherwise); CSRF checked on state changes (403). */
    requireAgent: Guard;
    /** preHandler: as `requireAgent`, and the agent must be an admin (403 otherwise). */
    requireAdmin: Guard;
  }
  interface FastifyRequest {
    /** Set by `requireAgent`/`requireAdmin`: who is asking, as the database says now (not as the session remembers). */
    agent: SignedInAgent | undefined;
  }
}

export const AGENT_SESSION_COOKIE = 'agent_session';

export interface AgentAuthOptions {
  db: Db;
  config: Config;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The console's sessions, CSRF and role guards, for every route of the app (hence fastify-plugin).
 * Sessions live in PostgreSQL (`agent_sessions`) so any replica serves any agent; the cookie is httpOnly,
 * SameSite=Strict and Secure in production. State-changing requests must also carry the session's CSRF
 * token in `x-csrf-token` (SameSite already stops most cross-site posts; the token covers the rest, e.g.
 * a sibling subdomain). The agent is read from the database on every request, so disabling an agent or
 * changing their role takes effect at once.
 */
const agentAuth: FastifyPluginAsync<AgentAuthOptions> = async (app, { db, config }) => {
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: sessionSecrets(app.encryptionKeys),
    cookieName: AGENT_SESSION_COOKIE,
    store: createAgentSessionStore(db),
    saveUninitialized: false,
    rolling: true,
    cookie: {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: config.env === 'production',
      maxAge: SESSION_MAX_AGE_MS,
    },
  });
  await app.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/session',
    getToken: (request) => {
      const token = request.headers['x-csrf-token'];
      return Array.isArray(token) ? token[0] : token;
    },
  });
  // The public routes' limiter may be registered already (build-app); the login route only needs one to exist.
  if (!app.hasDecorator('rateLimit')) await app.register(fastifyRateLimit, { global: false });

  app.decorateRequest('agent', undefined);

  async function authenticate(request: FastifyRequest): Promise<SignedInAgent> {
    const agentId = request.session?.agentId;
    if (!agentId) throw httpError(401, 'unauthenticated', 'log in first: POST /api/v1/agent/login');
    const [agent] = await db
      .select({ id: agents.id, email: agents.email, name: agents.name, role: agents.role })
      .from(agents)
      .where(and(eq(agents.id, agentId), isNull(agents.disabledAt)));
    if (!agent) {
      await request.session.destroy();
      throw httpError(401, 'unauthenticated', 'this account is disabled or gone: log in again');
    }
    request.agent = agent;
    return agent;
  }

  function verifyCsrf(request: FastifyRequest): Promise<void> {
    if (SAFE_METHODS.has(request.method)) return Promise.resolve();
    // csrfProtection answers a failure through reply.send; catching it here gives our own error shape.
    return new Promise((resolve, reject) => {
      const failed = {
        send: () =>
          reject(
            httpError(
              403,
              'invalid_csrf_token',
              'x-csrf-token is missing or wrong: GET /api/v1/agent/me gives a fresh one',
            ),
          ),
      } as unknown as FastifyReply;
      app.csrfProtection(request, failed, () => resolve());
    });
  }

  app.decorate('requireAgent', async (request: FastifyRequest) => {
    await authenticate(request);
    await verifyCsrf(request);
  });
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    const agent = await authenticate(request);
    if (agent.role !== 'admin') throw httpError(403, 'forbidden', 'only an admin may do this');
    await verifyCsrf(request);
  });
};

export default fp(agentAuth, { name: 'agent-auth', fastify: '5.x' });
