import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { httpError } from '../../http-error.js';
import { verifyOzowNotificationHash } from '../../payments/ozow-hash.js';
import {
  type OzowNotificationDeps,
  processOzowNotification,
} from '../../payments/process-ozow-notification.js';
import { recordPaymentNotification } from '../../payments/record-payment-notification.js';
import { addFormBodyParser, rawFormBody } from '../pay/add-form-body-parser.js';

const FormFields = Type.Record(Type.String(), Type.String());
const Ack = Type.Object({ ok: Type.Boolean(), outcome: Type.String() });

/**
 * Ozow's notification. A body that is not a form, not UTF-8, holds a NUL, or whose Hash does not match is
 * refused with a 4xx naming why, and nothing is stored: it is not from Ozow. A notification with the right
 * Hash is stored raw first, then checked and confirmed with Ozow's status API before the answer: a 2xx
 * means Ozow may stop retrying, so it is given only once the notification is decided; an unreachable
 * status API is a 503, so Ozow tries again.
 */
export const ozowWebhook: FastifyPluginAsync<OzowNotificationDeps> = async (app, options) => {
  addFormBodyParser(app);
  app.post('/webhooks/ozow', { schema: { body: FormFields, response: { 200: Ack } } }, async (request) => {
    const fields = request.body as Record<string, string>;
    if (!verifyOzowNotificationHash(fields, options.ozow.privateKey)) {
      throw httpError(400, 'invalid_hash', 'Hash does not match the notification');
    }
    const id = await recordPaymentNotification(options.db, options.encryptionKeys, {
      provider: 'ozow',
      rawBody: Buffer.from(rawFormBody(request.body)),
      sourceIp: request.ip,
    });
    const verdict = await processOzowNotification(options, { id, fields });
    if (verdict.outcome === 'pending') throw httpError(503, 'try_again', verdict.reason);
    return { ok: true, outcome: verdict.outcome };
  });
};
