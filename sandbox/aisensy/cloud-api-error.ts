import { randomBytes } from 'node:crypto';

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

  /** The synchronous response body of the Graph API. */
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
