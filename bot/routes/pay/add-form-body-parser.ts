import type { FastifyInstance } from 'fastify';
import { httpError } from '../../http-error.js';
import { utf8Body } from '../utf8-body.js';

const RAW_BODY = Symbol('rawBody');

/**
 * Makes application/x-www-form-urlencoded the only body the calling plugin's routes take (anything else is
 * 415), parsed into a field map (a repeated field keeps its last value) with the exact raw text kept
 * beside it: PayFast signs the body as posted, in its order. A body that is not UTF-8, or holds a NUL byte
 * (raw or as %00), is refused with 400 before anything sees it: no provider sends one, and PostgreSQL's
 * text cannot hold NUL. Scoped to the plugin that calls it (@fastify/formbody is not a dependency).
 */
export function addFormBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (request, body, done) => {
      let fields: Record<string, string>;
      try {
        fields = formFields(utf8Body(request.headers['content-type'], body as Buffer));
      } catch (err) {
        done(err as Error);
        return;
      }
      done(null, fields);
    },
  );
}

function formFields(raw: string): Record<string, string> {
  if (raw.includes('\u0000')) throw httpError(400, 'nul_byte', 'the body contains a NUL byte');
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (key.includes('\u0000') || value.includes('\u0000')) {
      throw httpError(400, 'nul_byte', `field ${JSON.stringify(key)} contains a NUL byte (%00)`);
    }
    // defineProperty: a field named __proto__ stays a field.
    Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
  }
  Object.defineProperty(fields, RAW_BODY, { value: raw, enumerable: false });
  return fields;
}

/** The body exactly as posted (UTF-8 text; `Buffer.from(text)` gives back its bytes), for a request parsed by `addFormBodyParser`. */
export function rawFormBody(body: unknown): string {
  const raw = (body as { [RAW_BODY]?: string } | null)?.[RAW_BODY];
  if (raw === undefined) throw new Error('the body was not parsed by addFormBodyParser');
  return raw;
}
