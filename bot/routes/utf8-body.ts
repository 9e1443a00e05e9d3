import { httpError } from '../http-error.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A request body as text, refusing what is not UTF-8: a declared charset other than UTF-8 is 415, bytes
 * that are not UTF-8 are 400. Every body this service takes (JSON, PayFast's and Ozow's forms) is UTF-8 or
 * plain ASCII, so nothing is guessed: decoding with replacement characters would change the bytes a
 * signature was computed over. A byte-order mark is kept, so the text gives back the exact bytes.
 */
export function utf8Body(contentType: string | undefined, raw: Buffer): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw httpError(
      415,
      'unsupported_charset',
      `charset ${charset || '(empty)'} is not accepted: send UTF-8`,
    );
  }
  try {
    return UTF8.decode(raw);
  } catch {
    throw httpError(400, 'invalid_utf8', 'the body is not UTF-8 text');
  }
}
