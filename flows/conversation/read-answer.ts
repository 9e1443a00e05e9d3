import { CHOICE, GLOBAL_COMMANDS, type GlobalCommand } from './choice.js';
import type { OutboundMessage } from './conversation-command.js';
import type { ConversationEvent } from './conversation-event.js';
import { CHOICE_WORDS, COMMAND_WORDS } from './copy.js';

/** Lower case, single spaces, no surrounding punctuation or emoji: how typed answers are compared. */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[^\p{L}\p{N}?]+|[^\p{L}\p{N}?]+$/gu, '')
    .trim();
}

/**
 * The id of the button or list row an answer picks among those just offered: a tap, the title typed back,
 * or one of the words copy lists for it. A tap on an id not offered now (an old message) still counts:
 * WhatsApp keeps old buttons tappable, and the machine only acts on ids the current step knows.
 */
export function chosenId(event: ConversationEvent, offered: readonly OutboundMessage[]): string | undefined {
  if (event.type === 'user.choice') return event.id;
  if (event.type !== 'user.text') return undefined;
  const answer = normalizeAnswer(event.text);
  for (const { id, title } of offered.flatMap(choicesOf)) {
    if (normalizeAnswer(title) === answer || id === answer || CHOICE_WORDS[id]?.includes(answer)) return id;
  }
  return undefined;
}

/** The global command (or START) an answer means, tapped or typed as a whole message. */
export function commandOf(event: ConversationEvent): GlobalCommand | 'start' | undefined {
  const commands = [...GLOBAL_COMMANDS, 'start'] as const;
  if (event.type === 'user.choice') return commands.find((command) => CHOICE[command] === event.id);
  if (event.type !== 'user.text') return undefined;
  const answer = normalizeAnswer(event.text);
  return commands.find((command) => command === answer || COMMAND_WORDS[command].includes(answer));
}

function choicesOf(message: OutboundMessage): { id: string; title: string }[] {
  if (message.kind === 'buttons') return message.buttons;
  if (message.kind === 'list') return message.rows;
  return [];
}
