import { httpError } from '../http-error.js';

/**
 * Deeper than anything a provider or our own pages send (AiSensy's envelopes nest five levels), and
 * shallow enough for everything downstream that recurses: schema validation, JSON.stringify, PostgreSQL's
 * jsonb input.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * What to do with the characters PostgreSQL cannot keep in text or jsonb: U+0000 and unpaired UTF-16
 * surrogates (JSON's `\u0000` and a lone `\ud800` parse into strings that every insert would then fail
 * on). `refuse` answers 400 naming the field; `replace` puts U+FFFD in their place, for signed deliveries
 * a provider wants stored whatever they hold.
 */
export type UnstorableCharacters = 'refuse' | 'replace';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Parses a JSON request body into a value every later step can store, or throws a 400 that names the
 * problem: not JSON, nested deeper than MAX_JSON_DEPTH (checked before parsing, so a megabyte of `[`
 * costs one pass), a `__proto__` key or a `constructor.prototype` (prototype poisoning, refused as
 * Fastify's own parser does), and with `refuse`, a NUL or an unpaired surrogate anywhere.
 */
export function parseJsonBody(text: string, unstorable: UnstorableCharacters): unknown {
  if (depthOf(text) > MAX_JSON_DEPTH) {
    throw httpError(400, 'too_deeply_nested', `the JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw httpError(
      400,
      'invalid_json',
      text.trim() === '' ? 'the body is empty; expected JSON' : 'the body is not valid JSON',
    );
  }
  return storable(value, '', unstorable);
}

/** The deepest nesting of arrays and objects, outside strings; a linear scan. */
function depthOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

function storable(value: unknown, path: string, unstorable: UnstorableCharacters): unknown {
  if (typeof value === 'string') return storableString(value, path, unstorable);
  if (Array.isArray(value)) return value.map((item, i) => storable(item, `${path}[${i}]`, unstorable));
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [rawKey, item] of Object.entries(value)) {
    const name = path ? `${path}.${rawKey}` : rawKey;
    if (
      rawKey === '__proto__' ||
      (rawKey === 'constructor' && typeof item === 'object' && item !== null && 'prototype' in item)
    ) {
      throw httpError(400, 'forbidden_property', `${name} is not allowed in a body (prototype poisoning)`);
    }
    const key = storableString(rawKey, `the key ${JSON.stringify(name)}`, unstorable);
    result[key] = storable(item, name, unstorable);
  }
  return result;
}

function storableString(text: string, where: string, unstorable: UnstorableCharacters): string {
  const hasNul = text.includes('\u0000');
  LONE_SURROGATE.lastIndex = 0;
  const hasLoneSurrogate = LONE_SURROGATE.test(text);
  if (!hasNul && !hasLoneSurrogate) return text;
  if (unstorable === 'replace') return text.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
  const field = where || 'the body';
  if (hasNul) throw httpError(400, 'nul_character', `${field} contains a NUL character (U+0000)`);
  throw httpError(400, 'invalid_unicode', `${field} contains an unpaired UTF-16 surrogate (not a character)`);
}
