import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { recordAudit } from '../../agent/audit/record-audit.js';
import { eraseContact } from '../../agent/privacy/erase-contact.js';
import { exportContact } from '../../agent/privacy/export-contact.js';
import { toE164 } from '../../aisensy/to-e164.js';
import { httpError } from '../../http-error.js';

const ContactParams = Type.Object({ phone: Type.String({ minLength: 8, maxLength: 20 }) });
type ContactParams = Static<typeof ContactParams>;

function phoneOf(params: ContactParams): string {
  const phone = /^\+?\d+$/.test(params.phone) ? toE164(params.phone) : undefined;
  if (!phone) {
    throw httpError(
      400,
      'invalid_phone',
      'phone must be E.164 (+27821234567, URL-encoded as %2B27821234567) or its digits',
    );
  }
  return phone;
}

/**
 * POPIA rights for admins: a person's data as JSON (access, s23) and its erasure (deletion, s24), both
 * recorded in the audit log. The phone is the key because it is what the person gives when they ask.
 */
export const contactRightsRoutes: FastifyPluginAsync<{ db: Db; dataDir: string }> = async (app, options) => {
  app.get(
    '/api/v1/agent/contacts/:phone/export',
    { preHandler: app.requireAdmin, schema: { params: ContactParams } },
    async (request, reply) => {
      const phone = phoneOf(request.params as ContactParams);
      const admin = request.agent as NonNullable<typeof request.agent>;
      const exported = await exportContact(options.db, app.encryptionKeys, phone, options.dataDir);
      if (!exported) throw httpError(404, 'contact_not_found', 'we hold nothing under this phone number');
      await recordAudit(options.db, {
        actor: admin.id,
        action: 'contact.exported',
        subject: `contact:${exported.contact.id}`,
      });
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="contact-${exported.contact.id}.json"`);
      return exported;
    },
  );

  app.delete(
    '/api/v1/agent/contacts/:phone',
    { preHandler: app.requireAdmin, schema: { params: ContactParams } },
    async (request) => {
      const phone = phoneOf(request.params as ContactParams);
      const admin = request.agent as NonNullable<typeof request.agent>;
      const result = await eraseContact(options.db, app.encryptionKeys, {
        phone,
        actor: admin.id,
        dataDir: options.dataDir,
      });
      if (result.outcome === 'not_found') {
        throw httpError(404, 'contact_not_found', 'we hold nothing under this phone number');
      }
      if (result.outcome === 'busy') throw httpError(409, 'filing_in_progress', result.reason);
      return result;
    },
  );
};
