import type { FastifyPluginAsync } from 'fastify';
import { CloudApiError } from './cloud-api-error.js';
import type { AisensyWorld } from './create-aisensy-world.js';
import { validateSessionMessage } from './validate-session-message.js';

export interface ProviderRoutesOptions {
  world: AisensyWorld;
  projectId: string;
  projectApiPwd: string;
  apiKey: string;
}

/** AiSensy's two outbound APIs: project session messages and the campaign (template) API. */
export function providerRoutes({
  world,
  projectId,
  projectApiPwd,
  apiKey,
}: ProviderRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { projectId: string } }>(
      '/project-apis/v1/project/:projectId/messages',
      async (request, reply) => {
        try {
          if (request.headers['x-aisensy-project-api-pwd'] !== projectApiPwd) {
            throw new CloudApiError(190, 'Missing or wrong X-AiSensy-Project-API-Pwd header.');
          }
          if (request.params.projectId !== projectId) {
            return reply
              .code(404)
              .send({ error: { message: `Unknown project ${request.params.projectId}`, code: 100 } });
          }
          const body = request.body as Record<string, unknown> | undefined;
          if (body?.status === 'read') {
            const id = body.message_id;
            if (typeof id !== 'string' || !world.markRead(id)) {
              throw new CloudApiError(100, `Invalid parameter message_id: ${String(id)}`);
            }
            return { success: true };
          }
          const session = validateSessionMessage(body);
          const message = world.acceptSession(session, body);
          return {
            messaging_product: 'whatsapp',
            contacts: [{ input: String(body?.to), wa_id: session.to }],
            messages: [{ id: message.wamid }],
          };
        } catch (error) {
          if (!(error instanceof CloudApiError)) throw error;
          return reply.code(error.httpStatus).send(error.responseBody());
        }
      },
    );

    app.post('/campaign/t1/api/v2', async (request, reply) => {
      const fail = (status: number, message: string) => reply.code(status).send({ success: false, message });
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (body.apiKey !== apiKey) return fail(401, 'Invalid API Key');
      if (typeof body.campaignName !== 'string' || body.campaignName === '') {
        return fail(400, 'campaignName is required');
      }
      const template = world.template(body.campaignName);
      if (!template) return fail(400, `Campaign "${body.campaignName}" does not exist or is not live`);
      if (typeof body.destination !== 'string' || !/\d{7,}/.test(body.destination.replace(/\D/g, ''))) {
        return fail(400, 'destination must be a phone number');
      }
      if (typeof body.userName !== 'string' || body.userName.trim() === '')
        return fail(400, 'userName is required');
      const params = body.templateParams ?? [];
      if (!Array.isArray(params) || !params.every((p) => typeof p === 'string')) {
        return fail(400, 'templateParams must be an array of strings');
      }
      const expected = template.paramCount ?? highestPlaceholder(template.body);
      if (params.length !== expected) {
        return fail(
          400,
          `Template params does not match the campaign: expected ${expected}, got ${params.length}`,
        );
      }
      const media = body.media as { url?: unknown; filename?: unknown } | undefined;
      if (template.media && (typeof media?.url !== 'string' || !/^https?:\/\//.test(media.url))) {
        return fail(400, `Campaign "${template.name}" needs media {url, filename}`);
      }
      const message = world.acceptTemplate(
        campaignDestination(body.destination),
        template,
        params,
        typeof media?.url === 'string'
          ? { url: media.url, ...(typeof media.filename === 'string' ? { filename: media.filename } : {}) }
          : undefined,
        body.userName,
        body,
      );
      return { success: true, submitted_message_id: message.wamid };
    });
  };
}

function highestPlaceholder(body: string): number {
  return Math.max(0, ...[...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1])));
}

/**
 * AiSensy reads a number without a country code as Indian: `0821234567` goes to `91821234567`. This is
 * the trap that makes the service send E.164 numbers.
 */
function campaignDestination(destination: string): string {
  const digits = destination.replace(/\D/g, '');
  return digits.length <= 10 ? `91${digits.replace(/^0+/, '')}` : digits;
}
