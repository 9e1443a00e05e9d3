import type { AgentMessage, Reminder } from './conversation-event.js';

/**
 * What the machine asks the world to do, as parameters of its named actions. The engine writes each into
 * the outbox in the same transaction as the new snapshot (or, for `createOrder`, performs it there).
 */
export type ConversationCommand =
  | { type: 'reply'; message: OutboundMessage }
  | { type: 'lookupCompany'; registrationNumber: string }
  /** `at`: when the owner answered (the event's time), kept with the consent as POPIA evidence. */
  | { type: 'recordConsent'; version: string; given: boolean; at: string }
  | { type: 'createOrder'; order: OrderRequest }
  | { type: 'requestAgent'; reason: string }
  /** Send what the agent wrote, as the agent's (the transcript says who), not the bot's. */
  | { type: 'sendAgentMessage'; agentId: string; agentName: string; message: AgentMessage }
  | { type: 'setOptOut'; optedOut: boolean }
  /**
   * Hand `reminder` back as a `reminder.due` event at `dueAt` (an ISO instant). Once per conversation,
   * kind, company and time: scheduling the same reminder again (a replayed event) adds none.
   */
  | { type: 'scheduleReminder'; dueAt: string; reminder: Reminder }
  /** The owner said no: drop the pending reminders of this kind about this company. */
  | { type: 'cancelReminders'; kind: Reminder['kind']; registrationNumber: string };

/** WhatsApp message shapes; the engine checks WhatsApp's limits once, before sending. */
export type OutboundMessage =
  | { kind: 'text'; text: string }
  | { kind: 'buttons'; text: string; buttons: { id: string; title: string }[] }
  | {
      kind: 'list';
      text: string;
      button: string;
      rows: { id: string; title: string; description?: string }[];
    }
  | { kind: 'link'; text: string; url: string; label: string }
  | { kind: 'document'; url: string; filename: string; caption?: string };

export interface OrderRequest {
  registrationNumber: string;
  companyName: string;
  years: { year: number; turnoverBandId: string; late: boolean; dueDate: string; feeCents: number }[];
  cipcFeeCents: number;
  serviceFeeCents: number;
  totalCents: number;
  email: string;
  fas: FasDetails;
}

/** Financial Accountability Supplement (CoR 30.2): personal data, encrypted at rest by the engine. */
export interface FasDetails {
  recordsKeeper: { name: string; idNumber: string };
  preparer: { name: string; idNumber: string };
}
