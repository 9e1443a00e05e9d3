import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-AiSensy-Signature`: hex HMAC-SHA256 of the raw body (its bytes as received), compared in constant time. */
export function verifyAisensySignature(
  rawBody: Buffer | string,
  signature: string | undefined,
  secret: string,
): boolean {
  if (!signature || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
