import type { ConversationCommand } from './conversation-command.js';

const COMMAND_TYPES: ReadonlySet<string> = new Set<ConversationCommand['type']>([
  'reply',
  'lookupCompany',
  'recordConsent',
  'createOrder',
  'requestAgent',
  'sendAgentMessage',
  'setOptOut',
  'scheduleReminder',
  'cancelReminders',
]);

/**
 * The commands among the actions `transition()` / `initialTransition()` return, in order: each command is
 * an action whose type is the command's and whose params are the rest of it. Other actions (xstate's own,
 * such as assign) are left out.
 */
export function commandsOf(actions: readonly { type: string; params?: unknown }[]): ConversationCommand[] {
  return actions
    .filter((action) => COMMAND_TYPES.has(action.type))
    .map((action) => ({ ...(action.params as object), type: action.type }) as ConversationCommand);
}
