import { randomBytes } from 'node:crypto';

/**
 * Codes and titles from Meta's error-code reference (developers.facebook.com/docs/whatsapp/cloud-api/support/
 * error-codes): 131047 "Re-engagement message" when more than 24 hours passed since the user last wrote,
 * 131026 "Message undeliverable", 131051 "Unsupported message type", 131008/131009 for missing or invalid
 * parameters, 100 "Invalid parameter", 190 for a bad access token (here: the project API password).
 */
const TITLES: Record<number, { title: string; httpStatus: number }> = {
  100: { title: 'Invalid parameter', httpStatus: 400 },
  190: { title: 'Invalid OAuth access token', httpStatus: 401 },
  131008: { title: 'Required parameter is missing', httpStatus: 400 },
  131009: { title: 'Parameter value is not valid', httpStatus: 400 },
  131026: { title: 'Message undeliverable', httpStatus: 400 },
  131047: { title: 'Re-engagement message', httpStatus: 400 },
  131051: { title: 'Unsupported message type', httpStatus: 400 },
};

/** An error as the WhatsApp Cloud API reports it, both synchronously and in a failed status. */
export class CloudApiError extends Error {
  readonly title: string;
  readonly httpStatus: number;

  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    const known = TITLES[code] ?? { title: 'Unknown error', httpStatus: 400 };
    super(`(#${code}) ${known.title}`);
    this.title = known.title;
    this.httpStatus = known.httpStatus;
  }

  /** The synchronous response body of the Graph API: `error.{message, type, code, error_data, fbtrace_id}`. */
  responseBody() {
    return {
      error: {
        message: this.message,
        type: 'OAuthException',
        code: this.code,
        error_data: { messaging_product: 'whatsapp', details: this.details },
        fbtrace_id: randomBytes(12).toString('base64url'),
      },
    };
  }
}
