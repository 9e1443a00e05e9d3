import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';

/** WhatsApp's limits, checked once here so a message that would be refused is never sent. */
export const WHATSAPP_LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  listRowTitle: 24,
  listRowDescription: 72,
  listButton: 20,
} as const;

export class MessageTooLargeError extends Error {
  override name = 'MessageTooLargeError';
}

function check(condition: boolean, problem: string): void {
  if (!condition) throw new MessageTooLargeError(problem);
}

/** The WhatsApp Cloud API body AiSensy's session-message API takes, for an E.164 phone. */
export function cloudMessageBody(phone: string, message: OutboundMessage): Record<string, unknown> {
  const to = phone.replace(/^\+/, '');
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  switch (message.kind) {
    case 'text':
      check(
        message.text.length <= WHATSAPP_LIMITS.text,
        `text is ${message.text.length} characters (at most 4096)`,
      );
      return { ...base, type: 'text', text: { body: message.text, preview_url: false } };
    case 'buttons':
      check(
        message.text.length <= WHATSAPP_LIMITS.interactiveBody,
        'button message text over 1024 characters',
      );
      check(
        message.buttons.length >= 1 && message.buttons.length <= WHATSAPP_LIMITS.buttons,
        'needs 1 to 3 buttons',
      );
      for (const button of message.buttons) {
        check(
          button.title.length <= WHATSAPP_LIMITS.buttonTitle,
          `button title "${button.title}" over 20 characters`,
        );
      }
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: message.text },
          action: {
            buttons: message.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })),
          },
        },
      };
    case 'list':
      check(message.text.length <= WHATSAPP_LIMITS.interactiveBody, 'list message text over 1024 characters');
      check(
        message.rows.length >= 1 && message.rows.length <= WHATSAPP_LIMITS.listRows,
        'needs 1 to 10 rows',
      );
      check(
        message.button.length <= WHATSAPP_LIMITS.listButton,
        `list button "${message.button}" over 20 characters`,
      );
      for (const row of message.rows) {
        check(
          row.title.length <= WHATSAPP_LIMITS.listRowTitle,
          `row title "${row.title}" over 24 characters`,
        );
        check(
          (row.description ?? '').length <= WHATSAPP_LIMITS.listRowDescription,
          `row description of "${row.title}" over 72 characters`,
        );
      }
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: message.text },
          action: { button: message.button, sections: [{ title: 'Options', rows: message.rows }] },
        },
      };
    case 'link':
      check(message.text.length <= WHATSAPP_LIMITS.interactiveBody, 'link message text over 1024 characters');
      check(
        message.label.length <= WHATSAPP_LIMITS.buttonTitle,
        `link label "${message.label}" over 20 characters`,
      );
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          body: { text: message.text },
          action: { name: 'cta_url', parameters: { display_text: message.label, url: message.url } },
        },
      };
    case 'document':
      return {
        ...base,
        type: 'document',
        document: { link: message.url, filename: message.filename, caption: message.caption },
      };
  }
}
