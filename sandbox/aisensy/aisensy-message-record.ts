import { createHash } from 'node:crypto';
import type { ChatContent, ChatMessage } from './chat-message.js';

/** The number WhatsApp names as `context.from` (the business's own); the sandbox has no real one. */
const BUSINESS_NUMBER = '27600000000';

export interface MessageRecordInput {
  message: ChatMessage;
  projectId: string;
  /** `USER` for the user's messages, `API` for ours (session and campaign API), `AGENT` from AiSensy's inbox. */
  sender: 'USER' | 'API' | 'AGENT';
  userName: string;
  /** Who wrote an AGENT message, in AiSensy's inbox. */
  agentName?: string;
  messageType: string;
  /** Null where AiSensy sends none. */
  content: Record<string, unknown> | null;
}

/**
 * AiSensy's message object, as `data.message` of every webhook carries it: the fields and their nulls from
 * the Project APIs reference ("Get Message Details": `sent_at` / `delivered_at` / `read_at` "number or
 * null, Timestamp(millis)", `failureResponse: null`, `campaign: null`, `context: null`, `status` in capitals)
 * and from captured deliveries (`meta_data: []`, `submitted_message_id: ""`, `context: {from, id}` on a reply).
 * There is no `timestamp`. AiSensy's own ids (`id`, `contact_id`) are 24 hex digits, stable per message
 * and per phone.
 */
export function aisensyMessageRecord(input: MessageRecordInput): Record<string, unknown> {
  const { message } = input;
  const fromUser = message.from === 'user';
  const times = message.statusTimes;
  const at = new Date(message.at).getTime();
  const template = message.content.type === 'template' ? message.content : undefined;
  return {
    type: 'message',
    id: objectId(`message:${message.wamid}`),
    meta_data: [],
    project_id: input.projectId,
    phone_number: message.phone,
    contact_id: objectId(`contact:${message.phone}`),
    campaign: template
      ? { name: template.campaignName, _id: objectId(`campaign:${template.campaignName}`) }
      : null,
    sender: input.sender,
    message_content: input.content,
    message_type: input.messageType,
    status: (fromUser ? 'delivered' : message.status).toUpperCase(),
    is_HSM: template !== undefined,
    chatbot_response: null,
    agent_id: input.sender === 'AGENT' ? objectId(`agent:${input.agentName ?? ''}`) : null,
    // A user's message reached AiSensy when it was sent; a business message's times follow its statuses.
    sent_at: fromUser ? at : (times.sent ?? null),
    delivered_at: fromUser ? at : (times.delivered ?? null),
    read_at: fromUser ? null : (times.read ?? null),
    ...(times.failed !== undefined && { failed_at: times.failed }),
    failureResponse: message.error
      ? {
          code: message.error.code,
          title: message.error.title,
          message: message.error.title,
          error_data: { details: message.error.details },
        }
      : null,
    userName: input.userName,
    // Two-digit calling codes (27 South Africa, 91 India) are all the sandbox meets.
    countryCode: message.phone.slice(0, 2),
    submitted_message_id: '',
    message_price: 0,
    deductionType: null,
    mau_details: null,
    whatsapp_conversation_details: null,
    context: message.contextId ? { from: BUSINESS_NUMBER, id: message.contextId } : null,
    messageId: message.wamid,
  };
}

/** `message_type` and `message_content` of a business message; interactive content is not documented, so null. */
export function businessContent(content: ChatContent): Pick<MessageRecordInput, 'messageType' | 'content'> {
  switch (content.type) {
    case 'text':
      return { messageType: 'TEXT', content: { text: content.text } };
    case 'image':
      return {
        messageType: 'IMAGE',
        content: { url: content.url, ...(content.caption && { caption: content.caption }) },
      };
    case 'document':
      return {
        messageType: 'FILE',
        content: { url: content.url, ...(content.filename && { filename: content.filename }) },
      };
    case 'template':
      return { messageType: 'TEXT', content: { text: content.text } };
    case 'list':
      return { messageType: 'LIST_MESSAGE', content: null };
    default:
      return { messageType: 'QUICK_REPLY_CARD', content: null };
  }
}

function objectId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 24);
}
