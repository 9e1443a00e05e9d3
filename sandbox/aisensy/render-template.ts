/**
 * Fills `{{1}}`, `{{2}}`… with the template parameters, as WhatsApp renders them on the phone: positional
 * parameters in the order given (Meta, "Message templates"; AiSensy sends `templateParams` in that order).
 */
export function renderTemplate(body: string, params: readonly string[]): string {
  return body.replace(
    /\{\{(\d+)\}\}/g,
    (placeholder, index: string) => params[Number(index) - 1] ?? placeholder,
  );
}
