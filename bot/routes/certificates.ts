import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { httpError } from '../http-error.js';

/**
 * The certificate PDFs the filing worker keeps in DATA_DIR/certificates, fetched by WhatsApp when it
 * delivers the document message. The name is the order's random UUID: unguessable, and nothing else
 * in that folder is reachable.
 */
export const certificatesRoute: FastifyPluginAsync<{ dataDir: string }> = async (app, options) => {
  app.get(
    '/files/certificates/:file',
    {
      schema: { params: Type.Object({ file: Type.String({ pattern: '^[0-9a-f-]{36}(-\\d{4})?\\.pdf$' }) }) },
    },
    async (request, reply) => {
      const { file } = request.params as { file: string };
      try {
        const pdf = await readFile(join(options.dataDir, 'certificates', file));
        return reply
          .type('application/pdf')
          .header('cache-control', 'private, no-store')
          .header('content-disposition', `inline; filename="annual-return-certificate.pdf"`)
          .send(pdf);
      } catch {
        throw httpError(404, 'not_found', 'no such certificate');
      }
    },
  );
};
