import { TEMPLATES } from '../../aisensy/templates.js';

/** The approved templates an agent may choose outside the 24-hour window: those that carry text, not a document. */
export const AGENT_TEMPLATES = Object.values(TEMPLATES)
  .filter((template) => !('media' in template))
  .map(({ campaignName, body, paramCount }) => ({ name: campaignName, body, paramCount }));

export type AgentTemplate = (typeof AGENT_TEMPLATES)[number];

/** The template's body with its `{{n}}` filled in: what the owner reads, kept on the transcript. */
export function renderTemplate(template: AgentTemplate, params: readonly string[]): string {
  return template.body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => params[Number(n) - 1] ?? '');
}
