import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';

/** The payloads of outbox rows, by `kind`. Versioned implicitly by kind: a new shape gets a new kind. */
export interface OutboxPayloads {
  'whatsapp.send': {
    phone: string;
    userName: string;
    message: OutboundMessage;
    /** The transcript row this send fills in with WhatsApp's id and status. */
    messageRowId: number;
    /** An agent's choice of approved template (name and parameters): sent as it is, whatever the window. */
    template?: { name: string; params: string[] };
    /** Set when WhatsApp refused the session message because the 24-hour window had closed. */
    forceTemplate?: boolean;
  };
  'temporal.startLookup': { conversationId: string; registrationNumber: string; requestedAt: string };
  'temporal.startFiling': { orderId: string };
  /** A person's answer to a waiting workflow (agent console): signal `signal` with `args`. */
  'temporal.signal': { workflowId: string; signal: string; args: unknown[] };
}
export type OutboxKind = keyof OutboxPayloads;
