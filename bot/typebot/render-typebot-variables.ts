/**
 * Renders `{{variable}}` in a text the way Typebot's engine does (packages/variables/src/parseVariables.ts
 * in baptisteArno/typebot.io), for the flow tests: a variable without a value, or not declared, becomes
 * nothing; inside a JSON body a string is written JSON-escaped without its quotes (the quotes are the
 * flow's own) and anything else as its JSON, so `"consent": {{consent}}` posts a bare `true`; elsewhere a
 * string is written as it is and anything else as its JSON.
 * Inline code (`{{= … =}}`) and `${{{…}}}` are not rendered: the flow uses neither.
 */
export type TypebotValues = ReadonlyMap<string, unknown>;

export function renderTypebotVariables(
  text: string,
  values: TypebotValues,
  { insideJson = false }: { insideJson?: boolean } = {},
): string {
  if (/\{\{=|\$\{\{/.test(text)) throw new Error(`inline code is not rendered by this helper: ${text}`);
  return text.replace(/\{\{([^{}]+)\}\}/g, (_whole, name: string) => {
    const value = values.get(name);
    if (value === undefined || value === null) return '';
    if (insideJson)
      return typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : JSON.stringify(value);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}
