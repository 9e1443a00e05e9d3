/**
 * The approved WhatsApp templates we send outside the 24-hour window, in one place. Their names and
 * parameter counts must match what is approved in AiSensy (the sandbox registers exactly these).
 */
export const TEMPLATES = {
  /** Any text reply when the window has closed: {{1}} name, {{2}} the message, flattened to one line. */
  update: {
    campaignName: 'cipc_agent_update',
    body: 'Hi {{1}}, an update on your CIPC annual return: {{2}} Reply to this message to continue.',
    paramCount: 2,
  },
  /** A document (the certificate) when the window has closed: {{1}} name, {{2}} its caption. */
  document: {
    campaignName: 'cipc_agent_document',
    body: 'Hi {{1}}, here is your document from CIPC Agent: {{2}}',
    paramCount: 2,
    media: true,
  },
} as const;

/** WhatsApp refuses template parameters with new lines, tabs or more than four spaces in a row. */
export function templateParameter(text: string, max = 900): string {
  const flat = text.replace(/\*/g, '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
