import type { FastifyRequest } from 'fastify';
import { httpError } from '../http-error.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses, before any route runs, a path parameter or query string holding what no route can use and
 * PostgreSQL cannot take as a query parameter: a NUL (`%00`) or an unpaired surrogate. Every route looks
 * things up by its parameters (a pay token, a phone number, an audit filter), and one such character there
 * turned the lookup into a 500; here it is a 400 naming the parameter, for every route at once.
 */
export async function refuseUnstorableParameters(request: FastifyRequest): Promise<void> {
  check('path parameter', request.params);
  check('query parameter', request.query);
}

function check(kind: string, values: unknown): void {
  if (typeof values !== 'object' || values === null) return;
  for (const [name, value] of Object.entries(values)) {
    for (const text of [name, ...[value].flat()]) {
      if (typeof text !== 'string') continue;
      if (text.includes('\u0000')) {
        throw httpError(
          400,
          'nul_character',
          `${kind} ${JSON.stringify(name)} contains a NUL character (%00)`,
        );
      }
      if (LONE_SURROGATE.test(text)) {
        throw httpError(400, 'invalid_unicode', `${kind} ${JSON.stringify(name)} is not valid Unicode`);
      }
    }
  }
}
