import { randomUUID } from 'node:crypto';
import { aisensyMessageRecord, businessContent } from './aisensy-message-record.js';
import { type ChatContent, type ChatMessage, type DeliveryStatus, STATUS_RANK } from './chat-message.js';
import { CloudApiError } from './cloud-api-error.js';
import { newWamid } from './new-wamid.js';
import { renderTemplate } from './render-template.js';
import type { SessionMessage } from './validate-session-message.js';
import {
  createWebhookSender,
  type WebhookAttempt,
  type WebhookEnvelope,
  type WebhookState,
} from './webhook-sender.js';

const WINDOW_MS = 24 * 60 * 60 * 1000;

/** Behaviour switches, settable at creation or any time through `control.configure`. */
export interface AisensySandboxKnobs {
  /**
   * When business messages become delivered/read: `phone` as the phone page shows them (delivered when a
   * phone page fetches them, read when it is visible), `auto` on timers, `manual` only via `setStatus`.
   */
  receipts: 'phone' | 'auto' | 'manual';
  /** Step between sent → delivered → read in `auto` mode. */
  autoReceiptDelayMs: number;
  /** Deliver every webhook this many times (same envelope id). */
  duplicateDeliveries: number;
  /** `reversed` holds a message's status events until its last one, then sends them newest first. */
  statusOrder: 'in-order' | 'reversed';
  /**
   * Shape of taps: AiSensy's (`BUTTON_REPLY` / `LIST_REPLY`, `QUICK_REPLY` for a template's button) or the
   * Cloud API's `interactive`.
   */
  interactiveReplies: 'aisensy' | 'cloud';
  /** Whether AiSensy's BUTTON_REPLY / LIST_REPLY content carries the tapped id beside its `title`. */
  tapIds: boolean;
  /** A session message outside the 24-hour window: rejected with 131047, or accepted then a failed status. */
  windowViolation: 'reject' | 'failed-status';
  /** A webhook not answered 2xx is retried once, after this long (AiSensy: 5 minutes). */
  webhookRetryDelayMs: number;
  /** An answer later than this counts as a failure (AiSensy: 5 s). */
  webhookTimeoutMs: number;
  /** More failed attempts than this within `webhookFailureWindowMs` pause the webhook (AiSensy: 100, 20 min). */
  webhookDisableAfterFailures: number;
  webhookFailureWindowMs: number;
  /** How long such a pause lasts (AiSensy: "for a while"). */
  webhookPausedForMs: number;
  /** Business messages mark the user's earlier messages read (blue ticks), as a reply shows they were seen. */
  readOnReply: boolean;
}

export const DEFAULT_KNOBS: AisensySandboxKnobs = {
  receipts: 'phone',
  autoReceiptDelayMs: 50,
  duplicateDeliveries: 1,
  statusOrder: 'in-order',
  interactiveReplies: 'aisensy',
  tapIds: false,
  windowViolation: 'reject',
  webhookRetryDelayMs: 5 * 60_000,
  webhookTimeoutMs: 5_000,
  webhookDisableAfterFailures: 100,
  webhookFailureWindowMs: 20 * 60_000,
  webhookPausedForMs: 60 * 60_000,
  readOnReply: true,
};

export interface SandboxTemplate {
  /** The campaign name the campaign API is called with. */
  name: string;
  /** Body with `{{1}}`, `{{2}}`… placeholders. */
  body: string;
  /** Exact number of `templateParams`; defaults to the highest placeholder in the body. */
  paramCount?: number;
  /** A media header the campaign call must supply. */
  media?: 'document' | 'image';
  /** Quick-reply button titles. */
  buttons?: string[];
}

export interface UserMessageInput {
  /** With country code; `+`, spaces and dashes are ignored. */
  phone: string;
  userName?: string;
  text?: string;
  buttonReply?: { id: string; title: string };
  listReply?: { id: string; title: string; description?: string };
  media?: { url: string; mimeType: string; caption?: string };
  /** The wamid this replies to; a button or list reply defaults to the business message that holds it. */
  contextId?: string;
  /** Overrides the `interactiveReplies` knob for this message. */
  interactiveShape?: 'aisensy' | 'cloud';
}

export interface AisensyWorldOptions {
  projectId: string;
  webhookUrl: string;
  webhookSecret: string;
  now?: () => Date;
  templates?: SandboxTemplate[];
  knobs?: Partial<AisensySandboxKnobs>;
}

interface Failure {
  phone?: string;
  error: CloudApiError;
}

/** The simulated AiSensy + WhatsApp + phones: state and behaviour behind the HTTP routes and `control`. */
export function createAisensyWorld(options: AisensyWorldOptions) {
  const now = options.now ?? (() => new Date());
  let knobs: AisensySandboxKnobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const templates = new Map<string, SandboxTemplate>();
  const chats = new Map<string, ChatMessage[]>();
  const byWamid = new Map<string, ChatMessage>();
  const userNames = new Map<string, string>();
  const lastInbound = new Map<string, number>();
  const cursors = new Map<string, number>();
  const waiters = new Set<{ phone: string; wake: () => void }>();
  const heldStatuses = new Map<string, WebhookEnvelope['data']['message'][]>();
  const statusChains = new Map<string, Promise<boolean>>();
  const failures: Failure[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sender = createWebhookSender({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    now,
    policy: () => ({
      timeoutMs: knobs.webhookTimeoutMs,
      retryDelayMs: knobs.webhookRetryDelayMs,
      disableAfterFailures: knobs.webhookDisableAfterFailures,
      failureWindowMs: knobs.webhookFailureWindowMs,
      pausedForMs: knobs.webhookPausedForMs,
    }),
    copies: () => knobs.duplicateDeliveries,
  });
  for (const template of options.templates ?? []) templates.set(template.name, template);

  const chatOf = (phone: string) => {
    let chat = chats.get(phone);
    if (!chat) {
      chat = [];
      chats.set(phone, chat);
    }
    return chat;
  };

  const send = (topic: WebhookEnvelope['topic'], message: Record<string, unknown>) =>
    sender.send({
      id: randomUUID(),
      created_at: now().toISOString(),
      topic,
      project_id: options.projectId,
      data: { message },
    });

  function record(message: Omit<ChatMessage, 'wamid' | 'at' | 'statusTimes'>): ChatMessage {
    const full: ChatMessage = {
      wamid: newWamid(message.phone),
      at: now().toISOString(),
      statusTimes: {},
      ...message,
    };
    chatOf(full.phone).push(full);
    byWamid.set(full.wamid, full);
    for (const waiter of waiters) if (waiter.phone === full.phone) waiter.wake();
    return full;
  }

  /** Moves a business message to `status` now and tells the webhook, as AiSensy's message object. */
  function emitStatus(message: ChatMessage, status: Exclude<DeliveryStatus, 'pending'>) {
    message.status = status;
    message.statusTimes[status] = now().getTime();
    const payload = aisensyMessageRecord({
      message,
      projectId: options.projectId,
      sender: message.via === 'agent' ? 'AGENT' : 'API',
      userName: userNames.get(message.phone) ?? '',
      ...businessContent(message.content),
    });
    if (knobs.statusOrder === 'in-order') {
      // One message's statuses go out one after another, so they cannot overtake each other in flight.
      const previous = statusChains.get(message.wamid) ?? Promise.resolve(true);
      statusChains.set(
        message.wamid,
        previous.then(() => send('message.status.updated', payload)),
      );
      return;
    }
    const held = heldStatuses.get(message.wamid) ?? [];
    held.push(payload);
    heldStatuses.set(message.wamid, held);
    if (status === 'read' || status === 'failed') {
      heldStatuses.delete(message.wamid);
      for (const event of held.reverse()) void send('message.status.updated', event);
    }
  }

  /** Moves a business message forward (never back), emitting each status it passes through. */
  function advanceBusiness(message: ChatMessage, status: 'sent' | 'delivered' | 'read') {
    if (message.status === 'failed') return;
    for (const step of ['sent', 'delivered', 'read'] as const) {
      if (STATUS_RANK[step] > STATUS_RANK[status]) break;
      if (STATUS_RANK[step] <= STATUS_RANK[message.status]) continue;
      emitStatus(message, step);
    }
  }

  function advanceUser(message: ChatMessage, status: DeliveryStatus) {
    if (STATUS_RANK[status] > STATUS_RANK[message.status]) message.status = status;
  }

  function later(ms: number, run: () => void) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  }

  function acceptBusiness(
    phone: string,
    via: ChatMessage['via'],
    content: ChatContent,
    request: unknown,
    windowError?: CloudApiError,
    contextId?: string,
  ): ChatMessage {
    const failureIndex = failures.findIndex((f) => f.phone === undefined || f.phone === phone);
    const failure = failureIndex >= 0 ? failures.splice(failureIndex, 1)[0]?.error : windowError;
    const message = record({
      phone,
      from: 'business',
      via,
      status: 'pending',
      content,
      request,
      ...(contextId ? { contextId } : {}),
      ...(failure ? { error: { code: failure.code, title: failure.title, details: failure.details } } : {}),
    });
    if (failure) {
      later(0, () => emitStatus(message, 'failed'));
      return message;
    }
    if (knobs.readOnReply) {
      for (const earlier of chatOf(phone)) if (earlier.from === 'user') advanceUser(earlier, 'read');
    }
    later(0, () => {
      advanceBusiness(message, 'sent');
      if (knobs.receipts !== 'auto') return;
      later(knobs.autoReceiptDelayMs, () => advanceBusiness(message, 'delivered'));
      later(knobs.autoReceiptDelayMs * 2, () => advanceBusiness(message, 'read'));
    });
    return message;
  }

  /**
   * The user's message as AiSensy's webhook carries it. A tap on a session message's reply button or list
   * row is BUTTON_REPLY / LIST_REPLY with `{title}` (and the id only with `tapIds`); a tap on a template's
   * quick-reply button is QUICK_REPLY `{text, callbackPayload}`; with the `cloud` shape a tap comes as the
   * Cloud API's `interactive` instead, with no `message_content`.
   */
  function userEnvelopeMessage(message: ChatMessage, userName: string, shape: 'aisensy' | 'cloud') {
    const record = (messageType: string, content: Record<string, unknown> | null) =>
      aisensyMessageRecord({
        message,
        projectId: options.projectId,
        sender: 'USER',
        userName,
        messageType,
        content,
      });
    const content = message.content;
    switch (content.type) {
      case 'button_reply':
      case 'list_reply': {
        if (shape === 'cloud') {
          const reply = { id: content.id, title: content.title };
          return {
            ...record('INTERACTIVE', null),
            interactive: { type: content.type, [content.type]: reply },
          };
        }
        const tapped = message.contextId ? byWamid.get(message.contextId) : undefined;
        if (tapped?.content.type === 'template')
          return record('QUICK_REPLY', { text: content.title, callbackPayload: content.id });
        return record(content.type === 'button_reply' ? 'BUTTON_REPLY' : 'LIST_REPLY', {
          title: content.title,
          ...(content.type === 'list_reply' && content.description && { description: content.description }),
          ...(knobs.tapIds && { id: content.id }),
        });
      }
      case 'media':
        return record(mediaType(content.mimeType), {
          url: content.url,
          urlExpiry: '',
          mimeType: content.mimeType,
          ...(content.caption && { caption: content.caption }),
        });
      case 'text':
        return record('TEXT', { text: content.text });
      default:
        throw new Error(`a user cannot send ${content.type}`);
    }
  }

  function userContent(input: UserMessageInput): ChatContent {
    if (input.buttonReply) return { type: 'button_reply', ...input.buttonReply };
    if (input.listReply) return { type: 'list_reply', ...input.listReply };
    if (input.media) return { type: 'media', ...input.media };
    if (input.text !== undefined && input.text !== '') return { type: 'text', text: input.text };
    throw new Error('sendFromUser needs text, buttonReply, listReply or media');
  }

  /** Finds the business message that offered the tapped button or row, as WhatsApp sets `context`. */
  function offeringMessage(phone: string, reply: { id: string }): string | undefined {
    const offers = (content: ChatContent) =>
      (content.type === 'buttons' && content.buttons.some((b) => b.id === reply.id)) ||
      (content.type === 'template' && content.buttons.some((b) => b.id === reply.id)) ||
      (content.type === 'list' && content.sections.some((s) => s.rows.some((r) => r.id === reply.id)));
    return chatOf(phone)
      .filter((m) => m.from === 'business' && offers(m.content))
      .at(-1)?.wamid;
  }

  return {
    knobs: (): Readonly<AisensySandboxKnobs> => knobs,
    configure(next: Partial<AisensySandboxKnobs>): void {
      knobs = { ...knobs, ...next };
    },
    registerTemplate(template: SandboxTemplate): void {
      templates.set(template.name, template);
    },
    template: (name: string) => templates.get(name),

    /** Records a user message and starts delivering it; `delivered` settles when the webhook is done. */
    userSends(input: UserMessageInput): { message: ChatMessage; delivered: Promise<boolean> } {
      const phone = digits(input.phone);
      const userName = input.userName ?? userNames.get(phone) ?? 'Sandbox User';
      userNames.set(phone, userName);
      const reply = input.buttonReply ?? input.listReply;
      const contextId = input.contextId ?? (reply ? offeringMessage(phone, reply) : undefined);
      const message = record({
        phone,
        from: 'user',
        via: 'user',
        status: 'sent',
        content: userContent(input),
        ...(contextId ? { contextId } : {}),
      });
      lastInbound.set(phone, now().getTime());
      const envelopeMessage = userEnvelopeMessage(
        message,
        userName,
        input.interactiveShape ?? knobs.interactiveReplies,
      );
      const delivered = send('message.sender.user', envelopeMessage).then((ok) => {
        advanceUser(message, ok ? 'delivered' : 'failed');
        return ok;
      });
      return { message, delivered };
    },

    /** A session message the business sent through the project API. */
    acceptSession(session: SessionMessage, request: unknown): ChatMessage {
      const last = lastInbound.get(session.to);
      const open = last !== undefined && now().getTime() - last <= WINDOW_MS;
      if (!open) {
        const error = new CloudApiError(
          131047,
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        );
        if (knobs.windowViolation === 'reject') throw error;
        return acceptBusiness(session.to, 'session', session.content, request, error, session.contextId);
      }
      return acceptBusiness(session.to, 'session', session.content, request, undefined, session.contextId);
    },

    acceptTemplate(
      phone: string,
      template: SandboxTemplate,
      params: string[],
      media: { url: string; filename?: string } | undefined,
      userName: string,
      request: unknown,
    ): ChatMessage {
      if (!userNames.has(phone)) userNames.set(phone, userName);
      const buttons = (template.buttons ?? []).map((title) => ({ id: title, title }));
      return acceptBusiness(
        phone,
        'template',
        {
          type: 'template',
          campaignName: template.name,
          text: renderTemplate(template.body, params),
          params,
          ...(media ? { media } : {}),
          buttons,
        },
        request,
      );
    },

    /** An agent replied from the AiSensy dashboard: the phone gets it and the webhook gets an echo. */
    async agentEcho(input: { phone: string; text: string; agentName?: string }): Promise<ChatMessage> {
      const phone = digits(input.phone);
      const message = acceptBusiness(phone, 'agent', { type: 'text', text: input.text }, undefined);
      advanceBusiness(message, 'sent');
      await send(
        'message.created',
        aisensyMessageRecord({
          message,
          projectId: options.projectId,
          sender: 'AGENT',
          ...(input.agentName && { agentName: input.agentName }),
          userName: userNames.get(phone) ?? '',
          ...businessContent(message.content),
        }),
      );
      return message;
    },

    /** The business marked a user message read (Cloud API `status: "read"`): it and earlier ones turn blue. */
    markRead(wamid: string): boolean {
      const target = byWamid.get(wamid);
      if (target?.from !== 'user') return false;
      for (const message of chatOf(target.phone)) {
        if (message.from === 'user' && message.at <= target.at) advanceUser(message, 'read');
      }
      return true;
    },

    /** The phone page fetched the chat: in `phone` receipts mode its business messages are delivered. */
    phoneFetched(phone: string): void {
      if (knobs.receipts !== 'phone') return;
      for (const m of chatOf(phone))
        if (m.from === 'business' && m.status === 'sent') advanceBusiness(m, 'delivered');
    },

    /** The phone page is visible: in `phone` receipts mode its business messages are read. */
    phoneRead(phone: string): void {
      if (knobs.receipts !== 'phone') return;
      for (const m of chatOf(phone)) if (m.from === 'business') advanceBusiness(m, 'read');
    },

    setStatus(wamid: string, status: 'delivered' | 'read'): void {
      const message = byWamid.get(wamid);
      if (message?.from !== 'business') throw new Error(`no business message ${wamid}`);
      advanceBusiness(message, status);
    },

    failNext(failure: { phone?: string; code?: number; details?: string } = {}): void {
      failures.push({
        ...(failure.phone ? { phone: digits(failure.phone) } : {}),
        error: new CloudApiError(
          failure.code ?? 131047,
          failure.details ?? 'Message failed to send because the sandbox was told to fail it.',
        ),
      });
    },

    conversation: (phone: string): readonly ChatMessage[] => chatOf(digits(phone)),
    outbound: (phone: string): ChatMessage[] => chatOf(digits(phone)).filter((m) => m.from === 'business'),
    userName: (phone: string) => userNames.get(digits(phone)),
    phones: (): string[] => [...chats.keys()],
    deliveries: (): readonly WebhookAttempt[] => sender.attempts,
    webhookState: (): WebhookState => sender.state(),
    enableWebhook: (): void => sender.enable(),

    /** The next business message to `phone` not yet taken by an earlier call; waits for one. */
    async nextOutbound(phone: string, timeoutMs = 5000): Promise<ChatMessage> {
      const key = digits(phone);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const cursor = cursors.get(key) ?? 0;
        const outbound = chatOf(key).filter((m) => m.from === 'business');
        const next = outbound[cursor];
        if (next) {
          cursors.set(key, cursor + 1);
          return next;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no message to ${key} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const waiter = { phone: key, wake: () => finish() };
          const timer = setTimeout(() => finish(), left);
          const finish = () => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve();
          };
          waiters.add(waiter);
        });
      }
    },

    idle: () => sender.idle(),

    reset(): void {
      for (const store of [chats, byWamid, userNames, lastInbound, cursors, heldStatuses, statusChains])
        store.clear();
      failures.length = 0;
      sender.reset();
    },

    close(): void {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const waiter of waiters) waiter.wake();
      sender.close();
    },
  };
}

export type AisensyWorld = ReturnType<typeof createAisensyWorld>;

function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}

function mediaType(mimeType: string): string {
  if (mimeType.startsWith('image/')) return mimeType === 'image/webp' ? 'STICKER' : 'IMAGE';
  if (mimeType.startsWith('audio/')) return 'AUDIO';
  if (mimeType.startsWith('video/')) return 'VIDEO';
  return 'FILE';
}
