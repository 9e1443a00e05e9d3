import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';
import { TEMPLATES, templateParameter } from '../aisensy/templates.js';

/** The template that carries a message once the 24-hour window has closed. */
export function templateFor(phone: string, userName: string, message: OutboundMessage) {
  const destination = phone.replace(/^\+/, '');
  if (message.kind === 'document') {
    return {
      campaignName: TEMPLATES.document.campaignName,
      destination,
      userName,
      templateParams: [templateParameter(userName), templateParameter(message.caption ?? message.filename)],
      media: { url: message.url, filename: message.filename },
    };
  }
  const options =
    message.kind === 'buttons'
      ? ` Reply with: ${message.buttons.map((b) => b.title).join(' / ')}.`
      : message.kind === 'list'
        ? ` Reply with: ${message.rows.map((r) => r.title).join(' / ')}.`
        : message.kind === 'link'
          ? ` ${message.label}: ${message.url}`
          : '';
  return {
    campaignName: TEMPLATES.update.campaignName,
    destination,
    userName,
    templateParams: [templateParameter(userName), templateParameter(message.text + options)],
  };
}
