import { escapeHtml } from '../html/escape-html.js';

/** Markup that is already safe to put on a page: built by `html`, never from a raw string of user data. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * The console's only way to write markup: every interpolated value is escaped unless it is itself
 * `SafeHtml` (a nested `html` result), so owner-typed text can never become markup. Arrays are joined;
 * null, undefined and false render nothing, which keeps conditionals short.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] as string;
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] as string);
  });
  return new SafeHtml(out);
}
