import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { httpError } from '../../http-error.js';
import { verifyPayfastItnSignature } from '../../payments/payfast-signature.js';
import type { PayfastItnDeps } from '../../payments/process-payfast-itn.js';
import { processPayfastItn } from '../../payments/process-payfast-itn.js';
import { recordPaymentNotification } from '../../payments/record-payment-notification.js';
import { addFormBodyParser, rawFormBody } from '../pay/add-form-body-parser.js';
import type { BackgroundTasks } from '../pay/background-tasks.js';

export interface PayfastWebhookOptions extends PayfastItnDeps {
  /** Where verification runs after the 200; the caller can wait for it. */
  tasks: BackgroundTasks;
}

const FormFields = Type.Record(Type.String(), Type.String());
const Ack = Type.Object({ ok: Type.Boolean() });

/**
 * PayFast's ITN. A body that is not a form, not UTF-8, holds a NUL, or whose signature does not match
 * (the one check that needs nothing but our passphrase) is refused with a 4xx that names why and stores
 * nothing: it is not from PayFast, and if it were (a passphrase changed on one side only) PayFast retries a
 * refusal, so it arrives again once the setting is fixed. A signed notification is stored raw and answered
 * 200 at once (PayFast retries anything slower or other than 200); the other checks run after the answer,
 * and their verdict lands on the stored row.
 * A notification that could not be decided (validation unreachable, a source not listed or not looked up)
 * stays `pending`: reconciliation runs the checks again and hands it to a person if they keep failing.
 */
export const payfastWebhook: FastifyPluginAsync<PayfastWebhookOptions> = async (app, options) => {
  addFormBodyParser(app);
  app.post('/webhooks/payfast', { schema: { body: FormFields, response: { 200: Ack } } }, async (request) => {
    const rawBody = rawFormBody(request.body);
    if (!verifyPayfastItnSignature(rawBody, options.payfast.passphrase)) {
      throw httpError(
        400,
        'invalid_signature',
        'signature does not match the ITN (every field as posted, in order, with our passphrase)',
      );
    }
    const id = await recordPaymentNotification(options.db, options.encryptionKeys, {
      provider: 'payfast',
      rawBody: Buffer.from(rawBody),
      sourceIp: request.ip,
    });
    options.tasks.run(() => processPayfastItn(options, { id, rawBody, sourceIp: request.ip, checks: 0 }));
    return { ok: true };
  });
};
