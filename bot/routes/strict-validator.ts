import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifySchemaCompiler } from 'fastify';
import { httpError } from '../http-error.js';

/**
 * A route's schema checked exactly, without the type coercion of Fastify's default validator (which
 * turns `"name": 123` into `"123"` and `"consent": "yes"` into a 400 only sometimes): a JSON body with a
 * number where a string belongs is wrongly typed and refused with 400 `invalid_request` naming the field.
 * For JSON bodies only; query strings and path parameters are text and need the default's coercion.
 */
export function strictValidator<T>({ schema, httpPart }: Parameters<FastifySchemaCompiler<T>>[0]) {
  const check = TypeCompiler.Compile(schema as TSchema);
  return (data: unknown) => {
    if (check.Check(data)) return { value: data };
    const first = check.Errors(data).First();
    const where = first?.path
      ? `${httpPart ?? 'body'}${first.path.replaceAll('/', '.')}`
      : (httpPart ?? 'body');
    return {
      error: httpError(400, 'invalid_request', `${where}: ${first?.message ?? 'does not match the schema'}`),
    };
  };
}
