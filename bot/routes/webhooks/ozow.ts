import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { httpError } from '../../http-error.js';
import {
  type OzowNotificationDeps,
  processOzowNotification,
} from '../../payments/process-ozow-notification.js';
import { recordPaymentNotification } from '../../payments/record-payment-notification.js';
import { addFormBodyParser, rawFormBody } from '../pay/add-form-body-parser.js';

const FormFields = Type.Record(Type.String(), Type.String());
const Ack = Type.Object({ ok: Type.Boolean(), outcome: Type.String() });

/**
 * Ozow's notification. Stored raw first, then checked and confirmed with Ozow's status API before the
 * answer: a 2xx means Ozow may stop retrying, so it is given only once the notification is decided. A bad
 * Hash is a 400; an unreachable status API a 503, so Ozow tries again.
 */
export const ozowWebhook: FastifyPluginAsync<OzowNotificationDeps> = async (app, options) => {
  addFormBodyParser(app);
  app.post('/webhooks/ozow', { schema: { body: FormFields, response: { 200: Ack } } }, async (request) => {
    const id = await recordPaymentNotification(options.db, {
      provider: 'ozow',
      rawBody: rawFormBody(request.body),
      sourceIp: request.ip,
    });
    const verdict = await processOzowNotification(options, {
      id,
      fields: request.body as Record<string, string>,
    });
    if (verdict.forged) throw httpError(400, 'invalid_hash', 'Hash does not match the notification');
    if (verdict.outcome === 'pending') throw httpError(503, 'try_again', verdict.reason);
    return { ok: true, outcome: verdict.outcome };
  });
};
