import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';
import type { TemplateSend } from '../aisensy/create-aisensy-client.js';
import { TEMPLATES, templateParameter } from '../aisensy/templates.js';

/**
 * The template that carries a message once the 24-hour window has closed, or the one an agent chose
 * (`chosen`: an approved template's name and parameters). `destination` stays E.164 with its `+`: AiSensy
 * takes a number it cannot place as Indian (its API reference, "destination").
 */
export function templateFor(
  phone: string,
  userName: string,
  message: OutboundMessage,
  chosen?: { name: string; params: string[] },
): TemplateSend {
  if (chosen) {
    const templateParams = chosen.params.map((param) => templateParameter(param));
    return { campaignName: chosen.name, destination: phone, userName, templateParams };
  }
  if (message.kind === 'document') {
    return {
      campaignName: TEMPLATES.document.campaignName,
      destination: phone,
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
    destination: phone,
    userName,
    templateParams: [templateParameter(userName), templateParameter(message.text + options)],
  };
}
