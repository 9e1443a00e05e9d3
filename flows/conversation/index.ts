export { CHOICE } from './choice.js';
export { commandsOf } from './commands-of.js';
export type {
  ConversationCommand,
  FasDetails,
  OrderRequest,
  OutboundMessage,
} from './conversation-command.js';
export type { ConversationContext, ConversationInput, Step } from './conversation-context.js';
export type { CompanyFacts, ConversationEvent, FilingMilestone, Reminder } from './conversation-event.js';
export { conversationMachine, MACHINE_VERSION } from './conversation-machine.js';
export { CONSENT_VERSION, copy, restartNotice } from './copy.js';
export { migrateSnapshot } from './migrate-snapshot.js';
