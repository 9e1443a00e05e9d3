import type { FilingDetail } from './filing-panel.js';

/** What the conversation pane shows, already in words: built from the JSON API's answer. */
export type TranscriptEntry =
  | {
      type: 'message';
      author: 'user' | 'bot' | 'agent';
      agentName?: string | null;
      text: string;
      choices?: string[];
      status: string;
      statusReason?: string | null;
      at: string;
    }
  | { type: 'marker'; text: string; at: string }
  | { type: 'note'; agentName: string; text: string; at: string };

export interface ConversationView {
  id: string;
  phone: string;
  name: string | null;
  firstName: string | null;
  companyName: string | null;
  owner: 'bot' | 'agent';
  assignedAgent: { id: string; name: string } | null;
  needsAgent: string | null;
  stateName: string | null;
  windowEndsAt: string | null;
  transcript: TranscriptEntry[];
  collected: [string, string][];
  quote: { lines: [string, string][]; total: string } | null;
  order: [string, string][] | null;
  filing: FilingDetail | null;
}

/** Placeholder until the conversations API's detail shape is settled. */
export function toConversationView(detail: unknown): ConversationView {
  const d = detail as ConversationView;
  return d;
}
