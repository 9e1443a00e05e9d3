import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import { chosenId } from '../../flows/conversation/read-answer.js';
import type { AisensyMessage } from './aisensy-message.js';

/** AiSensy's message types for a tap: template quick replies, session reply buttons and list rows. */
const TAP_TYPES = new Set(['QUICK_REPLY', 'BUTTON_REPLY', 'LIST_REPLY', 'BUTTON', 'INTERACTIVE']);

/** The buttons or list a tap answers; `contextId` is the wamid WhatsApp says was tapped, when it says. */
export type OfferedChoices = (contextId: string | undefined) => Promise<OutboundMessage[]>;

/**
 * What the user did, in the machine's terms: typed, tapped, or sent media. A tap carries the id we sent
 * (Cloud API `interactive.*_reply`, QUICK_REPLY's `callbackPayload`, or an `id` beside the title); when
 * AiSensy gives only the title (BUTTON_REPLY / LIST_REPLY `{title}`), the title is read against the
 * buttons or rows last offered with the rule the machine uses for a typed title (`chosenId`), so a tap
 * becomes the same `user.choice` either way. A title that matches nothing offered stays what it reads
 * as: text, which the machine answers like any typed answer.
 */
export async function inboundEvent(
  message: AisensyMessage,
  at: string,
  offered: OfferedChoices,
): Promise<ConversationEvent> {
  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
  if (reply) return { type: 'user.choice', at, id: reply.id, title: reply.title };
  const type = (message.message_type ?? 'TEXT').toUpperCase();
  const content = message.message_content ?? {};
  if (TAP_TYPES.has(type)) {
    const id = content.callbackPayload || content.id;
    const title = content.title || content.text;
    if (id) return { type: 'user.choice', at, id, title: title ?? id };
    if (title) {
      const typed = { type: 'user.text', at, text: title } as const;
      const matched = chosenId(typed, await offered(message.context?.id ?? undefined));
      return matched ? { type: 'user.choice', at, id: matched, title } : typed;
    }
  }
  if (type === 'TEXT' && typeof content.text === 'string')
    return { type: 'user.text', at, text: content.text };
  return { type: 'user.media', at, kind: type.toLowerCase() };
}
