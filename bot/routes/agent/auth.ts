import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { recordAudit } from '../../agent/audit/record-audit.js';
import { AGENT_SESSION_COOKIE } from '../../agent/auth/agent-auth.js';
import { attemptLogin, MAX_FAILED_LOGINS } from '../../agent/auth/attempt-login.js';
import { httpError } from '../../http-error.js';

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
type LoginBody = Static<typeof LoginBody>;

const SignedInAgent = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('agent'), Type.Literal('admin')]),
});
const AgentAndToken = Type.Object({ agent: SignedInAgent, csrfToken: Type.String() });

/** Per client address, per replica; the database lock-out is what holds across replicas. */
const LOGIN_RATE_LIMIT = { max: 30, timeWindow: '1 minute' };

/**
 * Log in, log out and "who am I". The console keeps no token of its own: the session cookie carries
 * the login, and `csrfToken` (from login, or from `me` after a reload) goes back in `x-csrf-token`.
 */
export const agentAuthRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.post(
    '/api/v1/agent/login',
    {
      schema: { body: LoginBody, response: { 200: AgentAndToken } },
      config: { rateLimit: LOGIN_RATE_LIMIT },
    },
    async (request, reply) => {
      if (request.session.cookie.secure === true && request.protocol !== 'https') {
        // @fastify/session would quietly drop a Secure cookie over plain HTTP: say why instead.
        throw httpError(
          403,
          'https_required',
          'log in over HTTPS: behind a proxy that ends TLS, set TRUST_PROXY so its X-Forwarded-Proto is believed',
        );
      }
      const outcome = await attemptLogin(db, request.body as LoginBody);
      if (!outcome.ok && outcome.reason === 'locked') {
        if (outcome.lockedNow) {
          await recordAudit(db, {
            actor: 'system',
            action: 'agent.locked_out',
            subject: `agent:${outcome.agentId}`,
            details: { failedLogins: MAX_FAILED_LOGINS, until: outcome.until.toISOString() },
          });
        }
        const seconds = Math.max(1, Math.ceil((outcome.until.getTime() - Date.now()) / 1000));
        reply.header('retry-after', String(seconds));
        throw httpError(
          423,
          'account_locked',
          `too many wrong passwords: this account is locked until ${outcome.until.toISOString()} (try again in ${Math.ceil(seconds / 60)} minutes)`,
        );
      }
      if (!outcome.ok) throw httpError(401, 'invalid_credentials', 'the email or the password is wrong');
      // A new session id at login: an id planted before it (session fixation) is worth nothing after.
      await request.session.regenerate();
      request.session.agentId = outcome.agent.id;
      await recordAudit(db, {
        actor: outcome.agent.id,
        action: 'agent.logged_in',
        subject: `agent:${outcome.agent.id}`,
      });
      return { agent: outcome.agent, csrfToken: reply.generateCsrf() };
    },
  );

  app.post('/api/v1/agent/logout', { preHandler: app.requireAgent }, async (request, reply) => {
    const agent = request.agent as NonNullable<typeof request.agent>;
    await request.session.destroy();
    reply.clearCookie(AGENT_SESSION_COOKIE, { path: '/' });
    await recordAudit(db, { actor: agent.id, action: 'agent.logged_out', subject: `agent:${agent.id}` });
    return { ok: true };
  });

  app.get(
    '/api/v1/agent/me',
    { preHandler: app.requireAgent, schema: { response: { 200: AgentAndToken } } },
    async (request, reply) => ({ agent: request.agent, csrfToken: reply.generateCsrf() }),
  );
};
