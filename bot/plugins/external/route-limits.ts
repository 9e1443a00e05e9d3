import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { httpError } from '../../http-error.js';

const KiB = 1024;

/** What one public route may take: requests per minute from one address, and the largest body. */
export interface RouteLimit {
  perMinute: number;
  bodyLimit?: number;
}

// Providers send from a handful of addresses and retry a 429, so their limit only stops a flood: 20 a
// second from one address is far above what AiSensy (messages plus three statuses each), Typebot or a
// payment provider sends one service. Bodies are sized to each provider's largest realistic payload:
// an AiSensy envelope carries at most a 4096-character text (up to 16 KiB of UTF-8) plus its metadata;
// a Typebot intake, a PayFast ITN and an Ozow notification are a few dozen short fields.
const webhook = (bodyLimit: number): RouteLimit => ({ perMinute: 1200, bodyLimit });
// A person opens a pay link a few times; 30 a minute is generous for that and stops token guessing.
const payPage: RouteLimit = { perMinute: 30 };

/**
 * Every public route's limits, in one place (routes are matched as `METHOD url-pattern`). Health and
 * metrics are absent on purpose: probes and scrapers poll them. Agent routes set their own
 * `config.rateLimit` (login is strict); the sandboxes under /sandbox are the outside world's, not ours.
 */
export const ROUTE_LIMITS: Record<string, RouteLimit> = {
  'POST /webhooks/aisensy': webhook(64 * KiB),
  'POST /webhooks/typebot': webhook(16 * KiB),
  'POST /webhooks/payfast': webhook(16 * KiB),
  'POST /webhooks/ozow': webhook(16 * KiB),
  'GET /pay/:token': payPage,
  'GET /pay/:token/payfast': payPage,
  'GET /pay/:token/ozow': payPage,
  'GET /pay/:token/return': payPage,
  'GET /pay/:token/cancelled': payPage,
};

export interface RouteLimitsOptions {
  /** RATE_LIMITS: false turns the table's rate limits off (load tests); body limits always hold. */
  enabled: boolean;
}

function seconds(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}

/**
 * @fastify/rate-limit with `global: false`: only routes with a `config.rateLimit` are limited, so the
 * phone simulator's polling, health and metrics are not. Registered before the routes (its onRoute hook
 * only sees routes added after it) and before the agent plugins, which check `hasDecorator('rateLimit')`
 * and set their own per-route limits. A limited request is answered 429 with `Retry-After` (seconds) and
 * `{error: 'rate_limited', message}` through the app's error handler.
 */
const routeLimits: FastifyPluginAsync<RouteLimitsOptions> = async (app, options) => {
  // Added before the rate-limit plugin's own onRoute hook, which reads config.rateLimit.
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // Fastify adds a HEAD route beside each GET: it counts as the GET.
    const limit = methods
      .map((method) => ROUTE_LIMITS[`${method === 'HEAD' ? 'GET' : method} ${route.url}`])
      .find(Boolean);
    if (!limit) return;
    if (limit.bodyLimit !== undefined) route.bodyLimit ??= limit.bodyLimit;
    if (options.enabled && route.config?.rateLimit === undefined) {
      route.config = { ...route.config, rateLimit: { max: limit.perMinute, timeWindow: 60_000 } };
    }
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const wait = seconds(context.ttl);
      return httpError(
        context.statusCode,
        'rate_limited',
        `too many requests from your address: at most ${context.max} a minute; try again in ${wait} s`,
      );
    },
  } satisfies RateLimitPluginOptions);
};

export default fp(routeLimits, { name: 'route-limits' });
