import { httpError } from '../../http-error.js';
import type { LockedConversation } from './lock-conversation.js';

/** 409 for an agent acting on a chat another agent holds (or the bot has), naming who has it. */
export function heldByOther(conversation: LockedConversation): Error {
  if (conversation.owner === 'bot')
    return httpError(409, 'not_taken_over', 'the bot has this conversation: take it over first');
  const holder = conversation.assignedAgent;
  return httpError(
    409,
    'already_taken',
    holder ? `${holder.name} is handling this conversation` : "an agent is answering from AiSensy's inbox",
  );
}
