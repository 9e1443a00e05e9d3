import type { FastifyPluginAsync } from 'fastify';
import { Counter } from 'prom-client';
import type { Db } from '../../../db/create-database.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { AisensyEnvelope } from '../../aisensy/aisensy-envelope.js';
import { handleAisensyDelivery } from '../../aisensy/handle-aisensy-delivery.js';
import { verifyAisensySignature } from '../../aisensy/verify-aisensy-signature.js';
import { httpError } from '../../http-error.js';
import { parseJsonBody } from '../parse-json-body.js';
import { utf8Body } from '../utf8-body.js';

export interface AisensyWebhookOptions {
  db: Db;
  /** Seals what users send before it is stored. */
  encryptionKeys: KeyRing;
  webhookSecret: string;
  /** Called once an inbound message is durable, so the engine applies it now rather than on its next poll. */
  onEventStored: (conversationId: string) => void;
}

/**
 * AiSensy's project webhook. The signature is checked over the raw bytes before anything is parsed or
 * stored: a forged or unsigned request is refused with 401 and changes nothing, a body that is not JSON
 * with 415, and a signed body that is not UTF-8 JSON, is nested deeper than MAX_JSON_DEPTH, has a
 * `__proto__` key or is not an envelope at all (no `id` and `topic`) with 400. A NUL or an unpaired
 * surrogate in a signed delivery is stored as U+FFFD (PostgreSQL's text and jsonb cannot hold them). Every other delivery is answered
 * 2xx as soon as it is stored, whatever it holds: AiSensy wants a 2xx within 5 s, retries a failure only
 * once (after 5 minutes) and disables the webhook after 100 failures in 20 minutes, so a refusal would
 * lose the delivery and bring the next outage closer. What cannot be acted on is kept raw and flagged
 * (`handleAisensyDelivery`); `aisensy_webhook_deliveries_total{topic,outcome}` counts every outcome.
 */
export const aisensyWebhook: FastifyPluginAsync<AisensyWebhookOptions> = async (app, options) => {
  const deliveries = new Counter({
    name: 'aisensy_webhook_deliveries_total',
    help: 'AiSensy webhook deliveries by topic and what became of them',
    labelNames: ['topic', 'outcome'] as const,
    registers: [app.metrics],
  });
  const refuse = (outcome: 'forged' | 'malformed', error: Error) => {
    deliveries.inc({ topic: 'unknown', outcome });
    return error;
  };

  // JSON only, read as bytes: the signature covers the bytes AiSensy sent, before any decoding.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    const signature = request.headers['x-aisensy-signature'];
    if (
      !verifyAisensySignature(
        raw,
        typeof signature === 'string' ? signature : undefined,
        options.webhookSecret,
      )
    ) {
      done(
        refuse(
          'forged',
          httpError(401, 'invalid_signature', 'X-AiSensy-Signature is missing or does not match the body'),
        ),
      );
      return;
    }
    let envelope: unknown;
    try {
      // Signed, so stored whatever it holds: what PostgreSQL cannot keep (NUL, a lone surrogate) becomes U+FFFD.
      envelope = parseJsonBody(utf8Body(request.headers['content-type'], raw), 'replace');
    } catch (err) {
      done(refuse('malformed', err as Error));
      return;
    }
    done(null, envelope);
  });

  app.post(
    '/webhooks/aisensy',
    { schema: { body: AisensyEnvelope }, attachValidation: true },
    async (request) => {
      if (request.validationError) {
        throw refuse(
          'malformed',
          httpError(400, 'invalid_request', `not an AiSensy envelope: ${request.validationError.message}`),
        );
      }
      const envelope = request.body as AisensyEnvelope;
      const result = await handleAisensyDelivery(options.db, options.encryptionKeys, envelope);
      deliveries.inc({ topic: topicLabel(envelope.topic), outcome: result.outcome });
      if (result.conversationId) options.onEventStored(result.conversationId);
      return { ok: true, outcome: result.outcome, ...(result.reason && { reason: result.reason }) };
    },
  );
};

/** Topics as AiSensy names them (`contact.created`); anything else is one label, so series stay few. */
function topicLabel(topic: string): string {
  return /^[a-z][a-z_]*(\.[a-z_]+){0,3}$/.test(topic) ? topic : 'other';
}
