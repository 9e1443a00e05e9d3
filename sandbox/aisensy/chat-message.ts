/** One message on the simulated phone, in either direction, with its WhatsApp delivery status. */
export interface ChatMessage {
  /** The WhatsApp message id (`wamid.…`). */
  wamid: string;
  /** Digits with country code, no `+`. */
  phone: string;
  from: 'user' | 'business';
  /** How the business message was sent (session API, campaign/template API, agent in the dashboard). */
  via: 'user' | 'session' | 'template' | 'agent';
  /** ISO time the message was accepted. */
  at: string;
  status: DeliveryStatus;
  /** When (ms) a business message reached each status: AiSensy's `sent_at`, `delivered_at`, `read_at`, `failed_at`. */
  statusTimes: Partial<Record<Exclude<DeliveryStatus, 'pending'>, number>>;
  error?: { code: number; title: string; details: string };
  /** The wamid this message replies to (a tapped button or list row). */
  contextId?: string;
  content: ChatContent;
  /** The request body the business sent (session or campaign API), kept for assertions. */
  request?: unknown;
}

/**
 * For business messages: sent → delivered → read as the phone shows it.
 * For the user's own messages: pending (not yet accepted) → sent (✓, accepted) → delivered (✓✓, the
 * business webhook answered 2xx) → read (blue ✓✓, the business marked it read or replied).
 */
export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export const STATUS_RANK: Record<DeliveryStatus, number> = {
  pending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
};

export interface ReplyButton {
  id: string;
  title: string;
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export type ChatContent =
  | { type: 'text'; text: string }
  | { type: 'buttons'; header?: string; body: string; footer?: string; buttons: ReplyButton[] }
  | {
      type: 'list';
      header?: string;
      body: string;
      footer?: string;
      button: string;
      sections: { title?: string; rows: ListRow[] }[];
    }
  | { type: 'cta_url'; header?: string; body: string; footer?: string; displayText: string; url: string }
  | { type: 'document'; url: string; filename?: string; caption?: string }
  | { type: 'image'; url: string; caption?: string }
  | {
      type: 'template';
      campaignName: string;
      text: string;
      params: string[];
      media?: { url: string; filename?: string };
      buttons: ReplyButton[];
    }
  | { type: 'button_reply'; id: string; title: string }
  | { type: 'list_reply'; id: string; title: string; description?: string }
  | { type: 'media'; url: string; mimeType: string; caption?: string };
