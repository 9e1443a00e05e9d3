import type { FastifyInstance } from 'fastify';

const RAW_BODY = Symbol('rawBody');

/**
 * Parses application/x-www-form-urlencoded bodies into a field map (a repeated field keeps its last value)
 * and keeps the exact raw text beside it: PayFast signs the body as posted, in its order. Scoped to the
 * plugin that calls it (@fastify/formbody is not a dependency).
 */
export function addFormBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const raw = body as string;
      const fields: Record<string, string> = Object.fromEntries(new URLSearchParams(raw));
      Object.defineProperty(fields, RAW_BODY, { value: raw, enumerable: false });
      done(null, fields);
    },
  );
}

/** The body exactly as posted, for a request parsed by `addFormBodyParser`. */
export function rawFormBody(body: unknown): string {
  const raw = (body as { [RAW_BODY]?: string } | null)?.[RAW_BODY];
  if (raw === undefined) throw new Error('the body was not parsed by addFormBodyParser');
  return raw;
}
