import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
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

    // AiSensy's campaign API (https://aisensy.com/docs/api-docs/api-reference-docs/, "API Reference Docs";
    // the same page at help.aisensy.com/en/articles/5358962-api-reference-docs).
    app.post('/campaign/t1/api/v2', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (body.apiKey !== apiKey) return reply.code(401).send(accountError(401, 'Invalid API Key'));
      if (typeof body.campaignName !== 'string' || body.campaignName === '') {
        return refuse(reply, 'campaignName is required');
      }
      // "The status of the campaign should be 'Live'": an unknown or paused campaign is refused so.
      const template = world.template(body.campaignName);
      if (!template) return refuse(reply, 'Campaign does not exist.');
      const destination = campaignDestination(body.destination);
      if (!destination) return refuse(reply, 'Invalid Number');
      if (typeof body.userName !== 'string' || body.userName.trim() === '') {
        return refuse(reply, 'userName is required');
      }
      const params = body.templateParams ?? [];
      if (!Array.isArray(params) || !params.every((p) => typeof p === 'string')) {
        return refuse(reply, 'templateParams must be an array of strings');
      }
      // "The length of the template params array should be equal to the number of params required in the
      // campaign ... Otherwise, the request will be rejected."
      const expected = template.paramCount ?? highestPlaceholder(template.body);
      if (params.length !== expected) {
        return refuse(
          reply,
          `Template params does not match the campaign: expected ${expected}, got ${params.length}`,
        );
      }
      // "The media URL provided in the media object should be publicly accessible, otherwise, the
      // request will be rejected."
      const media = body.media as { url?: unknown; filename?: unknown } | undefined;
      if (template.media && (typeof media?.url !== 'string' || !/^https?:\/\//.test(media.url))) {
        return refuse(reply, `Campaign "${template.name}" needs media {url, filename}`);
      }
      world.acceptTemplate(
        destination,
        template,
        params,
        typeof media?.url === 'string'
          ? { url: media.url, ...(typeof media.filename === 'string' ? { filename: media.filename } : {}) }
          : undefined,
        body.userName,
        body,
      );
      // `success` is the string "true", and the id is AiSensy's own UUID: the status webhooks that follow
      // carry the wamid, which this answer never names (DOMAIN.md, "WhatsApp through AiSensy").
      return { success: 'true', submitted_message_id: randomUUID() };
    });
  };
}

/**
 * A refusal of this request as AiSensy words it: HTTP 400 and `{message}`, e.g. `{"message": "Campaign
 * does not exist."}` and `{"message": "Invalid Number"}` as AiSensy integrations record them.
 */
function refuse(reply: FastifyReply, message: string) {
  return reply.code(400).send({ message });
}

/**
 * An account-level refusal in AiSensy's `ERRnnn` shape, as integrations record e.g. its 402 "Insufficient
 * WhatsApp Conversation Credits (WCC)!".
 */
function accountError(status: number, message: string) {
  return { name: `ERR${status}`, errorCode: status, errorMessage: message, message };
}

function highestPlaceholder(body: string): number {
  return Math.max(0, ...[...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1])));
}

/**
 * Where AiSensy delivers a `destination`. Its reference asks for "+(country code)(phone number)" and says
 * "If a phone number can't be resolved to any country then, it is by default considered to be from
 * India (+91)": with its `+` a number goes where it says; without, ten digits or fewer (a leading 0
 * dropped) are an Indian number, so `0821234567` goes to `91821234567`, while longer ones are read as
 * starting with their country code (the reference's older example, `917428526285`). Undefined: no number.
 */
function campaignDestination(destination: unknown): string | undefined {
  if (typeof destination !== 'string') return undefined;
  const written = destination.replace(/[\s().-]/g, '');
  const international = /^\+([1-9]\d{7,14})$/.exec(written);
  if (international) return international[1];
  if (!/^\d{7,15}$/.test(written)) return undefined;
  const national = written.replace(/^0+/, '');
  return national.length <= 10 ? `91${national}` : national;
}
