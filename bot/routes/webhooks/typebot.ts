import { timingSafeEqual } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { parseRegistrationNumber } from '../../../flows/cipc/parse-registration-number.js';
import { toE164 } from '../../aisensy/to-e164.js';
import { openPaymentToken, receiveTypebotIntake } from '../../engine/receive-typebot-intake.js';
import { httpError } from '../../http-error.js';
import { strictValidator } from '../strict-validator.js';

export const TypebotIntake = Type.Object({
  resultId: Type.String({ minLength: 1, maxLength: 200 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  phone: Type.String({ minLength: 8, maxLength: 20 }),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  registrationNumber: Type.String({ minLength: 8, maxLength: 40 }),
  consent: Type.Boolean(),
});
export type TypebotIntake = Static<typeof TypebotIntake>;

export const TypebotAnswer = Type.Object({
  message: Type.String(),
  whatsappUrl: Type.String(),
  paymentUrl: Type.Optional(Type.String()),
});

export interface TypebotWebhookOptions {
  db: Db;
  /** Seals the intake (name, email) before it is stored. */
  encryptionKeys: KeyRing;
  webhookSecret: string;
  publicBaseUrl: string;
  whatsappNumber?: string;
  /** Applies the stored intake now, so the answer goes back within Typebot's 10-second wait. */
  applyNow: (conversationId: string) => Promise<void>;
}

function bearerMatches(header: string | undefined, secret: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const typebotWebhook: FastifyPluginAsync<TypebotWebhookOptions> = async (app, options) => {
  app.post(
    '/webhooks/typebot',
    {
      schema: { body: TypebotIntake, response: { 200: TypebotAnswer } },
      validatorCompiler: strictValidator,
      onRequest: async (request) => {
        if (!bearerMatches(request.headers.authorization, options.webhookSecret)) {
          throw httpError(401, 'unauthorized', 'Authorization must be "Bearer <TYPEBOT_WEBHOOK_SECRET>"');
        }
      },
    },
    async (request) => {
      const body = request.body as TypebotIntake;
      const phone = toE164(body.phone);
      if (!phone)
        throw httpError(
          400,
          'invalid_phone',
          'phone must be a South African or international number, e.g. +27821234567',
        );
      const registration = parseRegistrationNumber(body.registrationNumber);
      if (!registration.ok) throw httpError(400, 'invalid_registration_number', registration.reason);
      if (!body.consent) {
        // Nothing is kept without consent (POPIA): not even the phone number.
        throw httpError(422, 'consent_required', 'consent must be true: we keep no details without it');
      }
      const { conversationId } = await receiveTypebotIntake(options.db, options.encryptionKeys, {
        resultId: body.resultId,
        phone,
        event: {
          type: 'typebot.intake',
          at: new Date().toISOString(),
          name: body.name.trim(),
          email: body.email?.trim() || undefined,
          registrationNumber: registration.number,
          consent: true,
        },
      });
      await options.applyNow(conversationId);
      const token = await openPaymentToken(options.db, conversationId, new Date());
      const text = encodeURIComponent(`Hi, I'm continuing my annual return for ${registration.number}`);
      const whatsappUrl = options.whatsappNumber
        ? `https://wa.me/${options.whatsappNumber.replace(/\D/g, '')}?text=${text}`
        : `${options.publicBaseUrl}/sandbox/phone?phone=${encodeURIComponent(phone)}`;
      return {
        message: `Thanks, ${body.name.trim()}. We are looking up ${registration.number} at CIPC and will carry on with you on WhatsApp at ${phone}.`,
        whatsappUrl,
        ...(token && { paymentUrl: `${options.publicBaseUrl}/pay/${token}` }),
      };
    },
  );
};
