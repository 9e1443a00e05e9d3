import { randomUUID } from 'node:crypto';
import type { Connection } from '@temporalio/client';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  type onRouteHookHandler,
} from 'fastify';
import { encryptionKeys } from '../config/encryption-key.js';
import type { Config } from '../config/load-config.js';
import { loggerOptions } from '../config/logging/logger-options.js';
import { type Db, pingDatabase } from '../db/create-database.js';
import type { KeyRing } from '../db/seal-json.js';
import { FILING_TASK_QUEUE } from '../flows/filing/task-queues.js';
import agentAuth from './agent/auth/agent-auth.js';
import routeLimits from './plugins/external/route-limits.js';
import securityHeaders from './plugins/external/security-headers.js';
import metrics from './plugins/metrics.js';
import { addJsonBodyParser } from './routes/add-json-body-parser.js';
import { agentAccountRoutes } from './routes/agent/agents.js';
import { agentAuditRoutes } from './routes/agent/audit.js';
import { agentAuthRoutes } from './routes/agent/auth.js';
import { agentConsole } from './routes/agent/console.js';
import { contactRightsRoutes } from './routes/agent/contacts.js';
import { agentConversationRoutes } from './routes/agent/conversations.js';
import { agentEvents } from './routes/agent/events.js';
import { agentFilingRoutes } from './routes/agent/filings.js';
import { certificatesRoute } from './routes/certificates.js';
import { healthRoute } from './routes/health.js';
import { registerPaymentRoutes } from './routes/pay/register-payment-routes.js';
import { refuseUnstorableParameters } from './routes/refuse-unstorable-parameters.js';
import { aisensyWebhook } from './routes/webhooks/aisensy.js';
import { typebotWebhook } from './routes/webhooks/typebot.js';
import { checkTemporal, checkWorkerPolling } from './temporal/check-temporal.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Settles when the PayFast checks still running after their 200 are done (tests, shutdown). */
    paymentChecks: { settled(): Promise<void> };
    /** The key ring, newest first: what reads personal data opens it with `openJson`/`decryptField`. */
    encryptionKeys: KeyRing;
  }
}

export interface AppDependencies {
  config: Config;
  db: Db;
  /** Default: `encryptionKeys(config)`. */
  encryptionKeys?: KeyRing;
  temporal: Connection;
  logger?: FastifyServerOptions['logger'];
  /** The queue whose pollers prove a filing worker is up; tests use a queue of their own. */
  filingTaskQueue?: string;
  /** Applies a conversation's stored events now; without it the engine's poll picks them up. */
  engine?: { kick(conversationId: string): Promise<void> };
  /** Registered last: the launcher mounts the sandboxes here; bot/ never imports sandbox/. */
  extraRoutes?: (app: FastifyInstance) => Promise<void>;
  /** Told of every route as it is added (the fuzz test covers each one, whoever adds it). */
  onRoute?: onRouteHookHandler;
}

/** Names for the 4xx Fastify itself answers (its codes are FST_*, not ours to show). */
const FRAMEWORK_ERRORS: Record<number, string> = {
  413: 'body_too_large',
  415: 'unsupported_media_type',
};

const POLLED_ROUTES = new Set(['/metrics', '/api/v1/health']);

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(deps.config),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Unset TRUST_PROXY: X-Forwarded-For is ignored, so no client can choose the address the PayFast
    // ITN source check sees (request.ip is the socket's peer).
    trustProxy: deps.config.trustProxy,
    return503OnClosing: true,
    // Logged once, when answered (below), instead of Fastify's two lines per request.
    disableRequestLogging: true,
    // A path whose percent-encoding does not decode (`/pay/%E0%A4%A`) never reaches a route.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      reply.code(400).send({
        error: error.code === 'FST_ERR_BAD_URL' ? 'invalid_url' : 'bad_request',
        message: error.message,
      });
    },
  });
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  addJsonBodyParser(app);
  app.addHook('onRequest', refuseUnstorableParameters);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    // Probes and scrapes poll every few seconds: their lines would drown the ones that matter.
    const level = POLLED_ROUTES.has(request.routeOptions.url ?? '') ? 'debug' : 'info';
    request.log[level](
      { req: request, res: reply, responseTime: Math.round(reply.elapsedTime) },
      'request completed',
    );
  });
  app.setErrorHandler(
    (error: Error & { statusCode?: number; validation?: unknown; code?: string }, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return reply
          .code(status)
          .send({ error: 'internal_error', message: 'something went wrong on our side; it has been logged' });
      }
      const ours = error.code && !error.code.startsWith('FST_') ? error.code : undefined;
      if (status === 415 && !ours) {
        const type = request.headers['content-type'];
        return reply.code(415).send({
          error: 'unsupported_media_type',
          message: `${type ? `content-type ${type}` : 'a body without a content-type'} is not accepted here`,
        });
      }
      return reply.code(status).send({
        error: error.validation ? 'invalid_request' : (ours ?? FRAMEWORK_ERRORS[status] ?? 'bad_request'),
        message: error.message,
      });
    },
  );
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'not_found', message: `no route for ${request.method} ${request.url}` });
  });

  const keys = deps.encryptionKeys ?? encryptionKeys(deps.config);
  app.decorate('encryptionKeys', keys);
  // First, before every route: both add onRoute hooks, which only see routes added after them; the agent
  // plugins also check hasDecorator('rateLimit') to put their own strict limit on login.
  await app.register(securityHeaders, {
    production: deps.config.env === 'production',
    payfastUrl: deps.config.payfast.url,
  });
  await app.register(routeLimits, { enabled: deps.config.rateLimits });
  await app.register(metrics, { db: deps.db });
  await app.register(agentAuth, { db: deps.db, config: deps.config });
  await app.register(agentAuthRoutes, { db: deps.db });
  await app.register(agentAccountRoutes, { db: deps.db });
  await app.register(agentAuditRoutes, { db: deps.db });
  await app.register(contactRightsRoutes, { db: deps.db, dataDir: deps.config.dataDir });
  await app.register(agentConversationRoutes, {
    db: deps.db,
    keys,
    kick: (conversationId) => void deps.engine?.kick(conversationId),
  });
  await app.register(agentEvents, { db: deps.db });
  await app.register(agentConsole, { db: deps.db });
  await app.register(agentFilingRoutes, {
    db: deps.db,
    temporal: deps.temporal,
    namespace: deps.config.temporal.namespace,
  });
  const namespace = deps.config.temporal.namespace;
  const filingTaskQueue = deps.filingTaskQueue ?? FILING_TASK_QUEUE;
  await app.register(
    healthRoute({
      database: () => pingDatabase(deps.db),
      temporal: (timeoutMs) => checkTemporal(deps.temporal, timeoutMs),
      filingWorker: (timeoutMs) => checkWorkerPolling(deps.temporal, namespace, filingTaskQueue, timeoutMs),
    }),
  );
  await app.register(aisensyWebhook, {
    db: deps.db,
    encryptionKeys: keys,
    webhookSecret: deps.config.aisensy.webhookSecret,
    onEventStored: (conversationId) => void deps.engine?.kick(conversationId),
  });
  await app.register(typebotWebhook, {
    db: deps.db,
    encryptionKeys: keys,
    webhookSecret: deps.config.typebot.webhookSecret,
    publicBaseUrl: deps.config.publicBaseUrl,
    whatsappNumber: deps.config.whatsappNumber,
    applyNow: async (conversationId) => deps.engine?.kick(conversationId),
  });
  const paymentChecks = await registerPaymentRoutes(app, {
    db: deps.db,
    config: deps.config,
    logger: app.log,
    onEventStored: (conversationId) => void deps.engine?.kick(conversationId),
  });
  app.decorate('paymentChecks', paymentChecks);
  await app.register(certificatesRoute, { dataDir: deps.config.dataDir });
  if (deps.extraRoutes) await deps.extraRoutes(app);
  return app;
}
