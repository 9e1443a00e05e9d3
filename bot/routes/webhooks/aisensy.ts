import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { AisensyEnvelope } from '../../aisensy/aisensy-envelope.js';
import { inboundEvent } from '../../aisensy/inbound-event.js';
import { timeOf } from '../../aisensy/time-of.js';
import { toE164 } from '../../aisensy/to-e164.js';
import { verifyAisensySignature } from '../../aisensy/verify-aisensy-signature.js';
import { applyDeliveryStatus, type DeliveryStatus } from '../../engine/apply-delivery-status.js';
import { receiveInboundMessage } from '../../engine/receive-inbound-message.js';
import { recordAgentEcho } from '../../engine/record-agent-echo.js';
import { httpError } from '../../http-error.js';

const STATUSES = new Set<DeliveryStatus>(['sent', 'delivered', 'read', 'failed']);

export interface AisensyWebhookOptions {
  db: Db;
  webhookSecret: string;
  /** Called once an inbound message is durable, so the engine applies it now rather than on its next poll. */
  onEventStored: (conversationId: string) => void;
}

/**
 * AiSensy's project webhook. The signature is checked over the raw bytes before anything is parsed or
 * stored; a forged or unsigned request is refused with 401 and changes nothing. AiSensy retries until it
 * sees a 2xx, so every topic is idempotent.
 */
export const aisensyWebhook: FastifyPluginAsync<AisensyWebhookOptions> = async (app, options) => {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const raw = body as string;
    const signature = request.headers['x-aisensy-signature'];
    if (
      !verifyAisensySignature(
        raw,
        typeof signature === 'string' ? signature : undefined,
        options.webhookSecret,
      )
    ) {
      done(httpError(401, 'invalid_signature', 'X-AiSensy-Signature is missing or does not match the body'));
      return;
    }
    try {
      done(null, JSON.parse(raw));
    } catch {
      done(httpError(400, 'invalid_json', 'the body is not valid JSON'));
    }
  });

  app.post('/webhooks/aisensy', { schema: { body: AisensyEnvelope } }, async (request) => {
    const envelope = request.body as AisensyEnvelope;
    const message = envelope.data.message;
    const at = timeOf(message.timestamp ?? envelope.created_at, new Date()).toISOString();

    if (envelope.topic === 'message.status.updated') {
      const status = message.status?.toLowerCase() as DeliveryStatus;
      const providerMessageId = message.messageId ?? message.id;
      if (!providerMessageId || !STATUSES.has(status)) {
        throw httpError(
          400,
          'invalid_status',
          'data.message needs messageId and a status of sent, delivered, read or failed',
        );
      }
      const code = message.failureResponse?.code;
      const { changed } = await applyDeliveryStatus(options.db, {
        providerMessageId,
        status,
        failureCode: code === undefined ? undefined : String(code),
      });
      return { ok: true, changed };
    }

    const phone = toE164(message.phone_number ?? '');
    if (!phone)
      throw httpError(
        400,
        'invalid_phone',
        'data.message.phone_number must be a phone number with its country code',
      );
    const providerMessageId = message.messageId ?? message.id ?? envelope.id;

    if (envelope.topic === 'message.created' && message.sender?.toUpperCase() === 'AGENT') {
      await recordAgentEcho(options.db, { phone, providerMessageId, raw: message });
      return { ok: true };
    }
    if (envelope.topic !== 'message.sender.user') return { ok: true, ignored: envelope.topic };

    const { conversationId, duplicate } = await receiveInboundMessage(options.db, {
      phone,
      providerMessageId,
      event: inboundEvent(message, at),
      raw: message,
    });
    if (!duplicate) options.onEventStored(conversationId);
    return { ok: true, duplicate };
  });
};
