import { createHmac } from 'node:crypto';

/** The `X-AiSensy-Signature` value: hex HMAC-SHA256 of the raw body. */
export function signBody(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}
