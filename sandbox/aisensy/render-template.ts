/** Fills `{{1}}`, `{{2}}`… with the template parameters, as WhatsApp renders them on the phone. */
export function renderTemplate(body: string, params: readonly string[]): string {
  return body.replace(
    /\{\{(\d+)\}\}/g,
    (placeholder, index: string) => params[Number(index) - 1] ?? placeholder,
  );
}
