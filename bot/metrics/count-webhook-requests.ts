import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';

/** Our error codes for a body whose signature, hash or bearer token does not match (see the webhook routes). */
const SIGNATURE_CODES = new Set(['invalid_signature', 'invalid_hash', 'unauthorized']);

/**
 * `webhook_requests_total{provider, outcome}`: every POST to /webhooks/:provider by what we answered —
 * accepted (2xx), signature_rejected (forged or unsigned: 401, or a signature/hash error code), rejected
 * (other 4xx) or failed (5xx). Counted from the answer, so every webhook route is covered without code in
 * it; a spike of signature_rejected is someone probing or a rotated secret (alert WebhookSignatureFailures).
 */
export function countWebhookRequests(app: FastifyInstance, registry: Registry): void {
  const requests = new Counter({
    name: 'webhook_requests_total',
    help: 'Webhook requests by provider and what we answered',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const forged = new WeakSet<FastifyRequest>();
  app.addHook('onError', async (request, _reply, error) => {
    if (SIGNATURE_CODES.has((error as { code?: string }).code ?? '')) forged.add(request);
  });
  app.addHook('onResponse', async (request, reply) => {
    const provider = /^\/webhooks\/([\w-]+)$/.exec(request.routeOptions.url ?? '')?.[1];
    if (!provider) return;
    const status = reply.statusCode;
    const outcome =
      status < 400
        ? 'accepted'
        : forged.has(request) || status === 401
          ? 'signature_rejected'
          : status < 500
            ? 'rejected'
            : 'failed';
    requests.inc({ provider, outcome });
  });
}
