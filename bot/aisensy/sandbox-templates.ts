import { TEMPLATES } from './templates.js';

/** Our templates in the shape AiSensy's sandbox registers them (as approved templates would be). */
export function sandboxTemplates(): { name: string; body: string; paramCount: number; media?: 'document' }[] {
  return [
    {
      name: TEMPLATES.update.campaignName,
      body: TEMPLATES.update.body,
      paramCount: TEMPLATES.update.paramCount,
    },
    {
      name: TEMPLATES.document.campaignName,
      body: TEMPLATES.document.body,
      paramCount: TEMPLATES.document.paramCount,
      media: 'document',
    },
  ];
}
