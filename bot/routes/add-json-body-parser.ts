import type { FastifyInstance } from 'fastify';
import { parseJsonBody } from './parse-json-body.js';
import { utf8Body } from './utf8-body.js';

/**
 * The service's body parsing: JSON only (a route that takes another type registers its parser in its own
 * plugin), and JSON that can be stored as it is — UTF-8, not nested deeper than MAX_JSON_DEPTH, no
 * prototype poisoning, no NUL or unpaired surrogate — else a 400 naming the problem. Any other content type
 * is Fastify's 415.
 */
export function addJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let value: unknown;
    try {
      value = parseJsonBody(utf8Body(request.headers['content-type'], body as Buffer), 'refuse');
    } catch (err) {
      done(err as Error);
      return;
    }
    done(null, value);
  });
}
