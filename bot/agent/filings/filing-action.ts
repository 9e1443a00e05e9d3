import { type Static, type TObject, Type } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { httpError } from '../../http-error.js';

/** One AR reference, or one per year separated by commas, as CIPC's reprint screen shows them. */
const AR_REFERENCES =
  '^\\s*[A-Za-z0-9][A-Za-z0-9/-]{3,39}(\\s*,\\s*[A-Za-z0-9][A-Za-z0-9/-]{3,39}){0,9}\\s*$';

const strict = { additionalProperties: false } as const;

/** Each action a person takes on a filing that waits for them, by name; each is one of the workflow's signals. */
const ACTIONS = {
  retry: Type.Object({ action: Type.Literal('retry') }, strict),
  captcha: Type.Object(
    {
      action: Type.Literal('captcha'),
      /** The security code as the person reads it off the image; the portal compares its case. */
      text: Type.String({ pattern: '^[A-Za-z0-9]{1,32}$' }),
    },
    strict,
  ),
  balanceToppedUp: Type.Object({ action: Type.Literal('balanceToppedUp') }, strict),
  markFiled: Type.Object(
    {
      action: Type.Literal('markFiled'),
      arReference: Type.String({ pattern: AR_REFERENCES }),
      /** For the team (kept with the action); the owner is not shown it. */
      note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    },
    strict,
  ),
  cancel: Type.Object(
    {
      action: Type.Literal('cancel'),
      /** What the owner is told about their money, word for word ("R499 refunded to your card today"). */
      refundNote: Type.String({ minLength: 3, maxLength: 500, pattern: '\\S' }),
    },
    strict,
  ),
} satisfies Record<string, TObject>;

/** The body of `POST /api/v1/agent/filings/:id/actions`, discriminated by `action`. */
export const FilingAction = Type.Union(Object.values(ACTIONS));
export type FilingAction = Static<typeof FilingAction>;
export type FilingActionName = FilingAction['action'];
const FILING_ACTION_NAMES = Object.keys(ACTIONS) as FilingActionName[];

/**
 * What the route schema checks before the handler runs: an object naming a known action. The rest is
 * checked against that action's own schema here, because a union's branches under Fastify's
 * `removeAdditional` would strip each other's fields, and a union's error cannot say which field is wrong.
 */
export const FilingActionEnvelope = Type.Object({
  action: Type.Union(FILING_ACTION_NAMES.map((name) => Type.Literal(name))),
});

const checks = Object.fromEntries(
  Object.entries(ACTIONS).map(([name, schema]) => [name, TypeCompiler.Compile<TObject>(schema)]),
) as Record<FilingActionName, TypeCheck<TObject>>;

/** The body as its action's schema reads it, or a 400 naming the first thing wrong. */
export function parseFilingAction(body: { action: FilingActionName }): FilingAction {
  const name = body.action;
  const check = checks[name];
  if (check.Check(body)) return body as FilingAction;
  const error = check.Errors(body).First();
  const where = error?.path ? `body${error.path.replaceAll('/', '.')}` : 'body';
  throw httpError(400, 'invalid_request', `${where}: ${error?.message ?? 'does not match'} (${name})`);
}

/** The references of a `markFiled`, in the order given. */
export const arReferencesOf = (arReference: string): string[] =>
  arReference
    .split(',')
    .map((reference) => reference.trim())
    .filter((reference) => reference.length > 0);
