import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { appVersion } from '../../config/app-version.js';

export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  timestamp: Type.String({ format: 'date-time' }),
  version: Type.String(),
  services: Type.Record(
    Type.String(),
    Type.Object({
      status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
      latencyMs: Type.Number(),
      error: Type.Optional(Type.String()),
    }),
  ),
});
export type HealthResponse = Static<typeof HealthResponse>;

/** A named check that throws when its service is down. */
export type HealthChecks = Record<string, (timeoutMs: number) => Promise<void>>;

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(
  check: (timeoutMs: number) => Promise<void>,
): Promise<HealthResponse['services'][string]> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const pending = check(CHECK_TIMEOUT_MS);
  // A check that loses the race may still fail later; that failure is already reported as the timeout.
  pending.catch(() => {});
  try {
    await Promise.race([
      pending,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'healthy', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      status: 'unhealthy',
      latencyMs: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoute(checks: HealthChecks): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/api/v1/health',
      { schema: { response: { 200: HealthResponse, 503: HealthResponse } } },
      async (_request, reply) => {
        const names = Object.keys(checks);
        const results = await Promise.all(
          names.map((name) => runCheck(checks[name] as HealthChecks[string])),
        );
        const services = Object.fromEntries(names.map((name, i) => [name, results[i]]));
        const healthy = results.every((result) => result?.status === 'healthy');
        reply.code(healthy ? 200 : 503);
        return {
          status: healthy ? 'healthy' : 'unhealthy',
          timestamp: new Date().toISOString(),
          version: appVersion,
          services,
        } as HealthResponse;
      },
    );
  };
}
