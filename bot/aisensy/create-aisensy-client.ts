import axios, { type AxiosInstance, isAxiosError } from 'axios';

export interface AisensyClientConfig {
  apiUrl: string;
  campaignUrl: string;
  projectId: string;
  projectApiPwd: string;
  apiKey: string;
}

/** A template send through AiSensy's campaign API. `destination` is E.164 with its `+`. */
export interface TemplateSend {
  campaignName: string;
  destination: string;
  userName: string;
  templateParams: string[];
  media?: { url: string; filename: string };
}

/** A refused or failed send; `retryable` when sending the same message again later may work. */
export class AisensySendError extends Error {
  override name = 'AisensySendError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * Statuses worth another try: timeouts, rate limits and server trouble, and the account-level refusals
 * (401 key, 402 credits, 403) an operator fixes without the message changing. Any other 4xx is about this
 * message (a number, a campaign, a parameter count) and fails the same way every time.
 */
function retryableStatus(status: number | undefined): boolean {
  return status === undefined || [401, 402, 403, 408, 429].includes(status) || status >= 500;
}

/** What AiSensy said went wrong, in whichever of its shapes it said it. */
function detailOf(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim().slice(0, 300) || undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const body = data as {
    error?: { message?: unknown } | string;
    errorMessage?: unknown;
    message?: unknown;
  };
  const error = typeof body.error === 'object' ? body.error?.message : body.error;
  for (const candidate of [error, body.errorMessage, body.message]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return undefined;
}

function sendError(err: unknown): AisensySendError {
  if (!isAxiosError(err)) return new AisensySendError(String(err), true);
  const status = err.response?.status;
  const data = err.response?.data as { error?: { code?: unknown } } | undefined;
  const code = data?.error?.code === undefined ? undefined : String(data.error.code);
  const detail = detailOf(data) ?? err.message;
  return new AisensySendError(
    `AiSensy answered ${status ?? 'nothing'}: ${detail}`,
    retryableStatus(status),
    status,
    code,
  );
}

/**
 * Reads the campaign API's answer to a 2xx. AiSensy documents `{"success": "true", "submitted_message_id":
 * "<uuid>"}` (a string; `true` is taken too, it cannot mean anything else). A body that says no
 * (`success` anything else, or an `error`) refused this message, permanently: AiSensy reports passing
 * trouble with 5xx and 429. A body that says neither (a proxy's page, an empty answer) is not a
 * refusal we can read, so it is tried again.
 */
function submittedMessageIdOf(status: number, data: unknown): string | undefined {
  const body = (typeof data === 'object' && data !== null ? data : {}) as {
    success?: unknown;
    error?: unknown;
    submitted_message_id?: unknown;
  };
  if ((body.success === 'true' || body.success === true) && body.error === undefined) {
    return typeof body.submitted_message_id === 'string' && body.submitted_message_id !== ''
      ? body.submitted_message_id
      : undefined;
  }
  const refused = body.success !== undefined || body.error !== undefined;
  const detail = detailOf(data) ?? (refused ? `success: ${JSON.stringify(body.success)}` : 'no success');
  throw new AisensySendError(
    `AiSensy answered ${status} but did not send the template: ${detail}`,
    !refused,
    status,
  );
}

export function createAisensyClient(
  config: AisensyClientConfig,
  http: AxiosInstance = axios.create({ timeout: 15_000 }),
) {
  return {
    /**
     * A session message (Cloud API body) inside the 24-hour window. Resolves to the wamid the status
     * webhooks will carry, or undefined when AiSensy accepted the message without naming it (sent, but
     * its delivery ticks cannot be matched).
     */
    async sendSession(body: Record<string, unknown>): Promise<string | undefined> {
      try {
        const response = await http.post(
          `${config.apiUrl}/project-apis/v1/project/${config.projectId}/messages`,
          body,
          { headers: { 'X-AiSensy-Project-API-Pwd': config.projectApiPwd } },
        );
        const id = response.data?.messages?.[0]?.id;
        return typeof id === 'string' && id !== '' ? id : undefined;
      } catch (err) {
        throw sendError(err);
      }
    },

    /**
     * An approved template through the campaign API. Resolves to AiSensy's `submitted_message_id` (its
     * own id, not the wamid), or undefined when a success named none.
     */
    async sendTemplate(input: TemplateSend): Promise<string | undefined> {
      let response: { status: number; data: unknown };
      try {
        response = await http.post(config.campaignUrl, { apiKey: config.apiKey, ...input });
      } catch (err) {
        throw sendError(err);
      }
      return submittedMessageIdOf(response.status, response.data);
    },
  };
}
export type AisensyClient = ReturnType<typeof createAisensyClient>;
