import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsync } from 'fastify';

export interface ProviderFaults {
  /** Until this epoch ms every call is answered 503, as a provider's load balancer does in an outage. */
  failingUntil: number;
  /** Every call waits this long before the provider handles it (a slow provider). */
  delayMs: number;
}

/**
 * A network-level fault layer in front of a provider's sandbox: an outage (503 for a while) or a slow
 * provider (a delay per call). Not a provider behaviour, so it lives with the fault suite, not in sandbox/.
 * Mounted in the same encapsulation context as the provider's routes, before them.
 */
export function providerFaults(provider: FastifyPluginAsync): {
  plugin: FastifyPluginAsync;
  set(patch: Partial<ProviderFaults>): void;
} {
  const faults: ProviderFaults = { failingUntil: 0, delayMs: 0 };
  const plugin: FastifyPluginAsync = async (app) => {
    app.addHook('onRequest', async (_request, reply) => {
      if (faults.delayMs > 0) await sleep(faults.delayMs);
      if (Date.now() < faults.failingUntil) {
        return reply.code(503).type('text/html').send('<html><body>503 Service Unavailable</body></html>');
      }
    });
    await app.register(provider);
  };
  return { plugin, set: (patch) => Object.assign(faults, patch) };
}
