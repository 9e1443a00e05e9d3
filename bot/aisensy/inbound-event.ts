import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import type { AisensyMessage } from './aisensy-envelope.js';

const CHOICE_TYPES = new Set(['QUICK_REPLY', 'LIST_REPLY', 'BUTTON', 'BUTTON_REPLY', 'INTERACTIVE']);

/** What the user did, in the machine's terms: typed, tapped (either AiSensy's or the Cloud API's shape), or sent media. */
export function inboundEvent(message: AisensyMessage, at: string): ConversationEvent {
  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
  if (reply) return { type: 'user.choice', at, id: reply.id, title: reply.title };
  const type = (message.message_type ?? 'TEXT').toUpperCase();
  const content = message.message_content ?? {};
  if (CHOICE_TYPES.has(type) && (content.callbackPayload || content.text)) {
    const title = content.text ?? content.callbackPayload ?? '';
    return { type: 'user.choice', at, id: content.callbackPayload ?? title, title };
  }
  if (type === 'TEXT' && typeof content.text === 'string')
    return { type: 'user.text', at, text: content.text };
  return { type: 'user.media', at, kind: type.toLowerCase() };
}
