import axios, { type AxiosInstance, isAxiosError } from 'axios';

export interface AisensyClientConfig {
  apiUrl: string;
  campaignUrl: string;
  projectId: string;
  projectApiPwd: string;
  apiKey: string;
}

/** A refused or failed send; `retryable` for timeouts, 408, 429 and 5xx, permanent otherwise. */
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

function sendError(err: unknown): AisensySendError {
  if (!isAxiosError(err)) return new AisensySendError(String(err), true);
  const status = err.response?.status;
  const data = err.response?.data as
    | { error?: { code?: number; message?: string }; message?: string }
    | undefined;
  const code = data?.error?.code === undefined ? undefined : String(data.error.code);
  const detail = data?.error?.message ?? data?.message ?? err.message;
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
  return new AisensySendError(`AiSensy answered ${status ?? 'nothing'}: ${detail}`, retryable, status, code);
}

export function createAisensyClient(
  config: AisensyClientConfig,
  http: AxiosInstance = axios.create({ timeout: 15_000 }),
) {
  return {
    /** A session message (Cloud API body) inside the 24-hour window; resolves to the WhatsApp message id. */
    async sendSession(body: Record<string, unknown>): Promise<string> {
      try {
        const response = await http.post(
          `${config.apiUrl}/project-apis/v1/project/${config.projectId}/messages`,
          body,
          { headers: { 'X-AiSensy-Project-API-Pwd': config.projectApiPwd } },
        );
        const id = response.data?.messages?.[0]?.id ?? response.data?.id;
        if (typeof id !== 'string')
          throw new AisensySendError('AiSensy accepted the message but gave no id', false);
        return id;
      } catch (err) {
        throw err instanceof AisensySendError ? err : sendError(err);
      }
    },

    /** An approved template through the campaign API; resolves to AiSensy's submitted message id. */
    async sendTemplate(input: {
      campaignName: string;
      destination: string;
      userName: string;
      templateParams: string[];
      media?: { url: string; filename: string };
    }): Promise<string> {
      try {
        const response = await http.post(config.campaignUrl, { apiKey: config.apiKey, ...input });
        if (response.data?.success === false) {
          throw new AisensySendError(
            `AiSensy refused the template: ${response.data.message}`,
            false,
            response.status,
          );
        }
        return String(response.data?.submitted_message_id ?? response.data?.messageId ?? '');
      } catch (err) {
        throw err instanceof AisensySendError ? err : sendError(err);
      }
    },
  };
}
export type AisensyClient = ReturnType<typeof createAisensyClient>;
