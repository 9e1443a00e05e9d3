import type { Db } from '../../db/create-database.js';
import type { KeyRing } from '../../db/seal-json.js';
import { applyDeliveryStatus, type DeliveryStatus } from '../engine/apply-delivery-status.js';
import { receiveInboundMessage } from '../engine/receive-inbound-message.js';
import { recordAgentEcho } from '../engine/record-agent-echo.js';
import type { AisensyEnvelope } from './aisensy-envelope.js';
import { readAisensyMessage } from './aisensy-message.js';
import { findOfferedChoices } from './find-offered-choices.js';
import { inboundEvent } from './inbound-event.js';
import { storeUnhandledDelivery } from './store-unhandled-delivery.js';
import { timeOf } from './time-of.js';
import { toE164 } from './to-e164.js';

const USER_MESSAGE = 'message.sender.user';
const STATUS_UPDATE = 'message.status.updated';
/** Every message in the chat, whoever wrote it (agent, user, API, broadcast). */
const MESSAGE_CREATED = 'message.created';
const STATUSES = new Set<string>(['sent', 'delivered', 'read', 'failed'] satisfies DeliveryStatus[]);

/**
 * What became of a delivery: `applied` (stored or applied now), `duplicate` (a retry or second copy of
 * one already taken), `unchanged` (a status that moves nothing forward, or names no message of ours),
 * `ignored` (our own messages echoed by `message.created`); the rest are stored raw and flagged.
 */
export type DeliveryOutcome =
  | 'applied'
  | 'duplicate'
  | 'unchanged'
  | 'ignored'
  | 'unhandled_topic'
  | 'unknown_status'
  | 'unrecognised';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  /** Why a delivery was not applied, for the answer and the stored row. */
  reason?: string;
  /** The conversation a new user message (or an agent's echo) was stored for: the engine may apply it now. */
  conversationId?: string;
}

/**
 * Acts on one signed AiSensy delivery and says what became of it. Nothing here refuses: a delivery that
 * cannot be acted on is stored raw for a person (AiSensy would retry a refusal once, then drop it, and
 * count it towards disabling the webhook). A user's message (`message.sender.user`, or `message.created`
 * by the USER, deduplicated on its wamid either way) becomes an event; a status moves a message of ours
 * forward; an AGENT's `message.created` mutes the bot in that chat.
 */
export async function handleAisensyDelivery(
  db: Db,
  keys: KeyRing,
  envelope: AisensyEnvelope,
): Promise<DeliveryResult> {
  const unhandled = async (outcome: DeliveryOutcome, reason: string): Promise<DeliveryResult> => {
    const userPhone = isFromUser(envelope) ? phoneIn(envelope.data) : undefined;
    const { stored } = await storeUnhandledDelivery(db, keys, {
      envelope,
      reason,
      ...(userPhone && { userPhone }),
    });
    return { outcome: stored ? outcome : 'duplicate', reason };
  };
  const { topic } = envelope;
  if (topic !== USER_MESSAGE && topic !== STATUS_UPDATE && topic !== MESSAGE_CREATED)
    return unhandled('unhandled_topic', `topic ${topic} is not one this service acts on`);
  const message = readAisensyMessage(envelope.data);
  if (!message)
    return unhandled('unrecognised', 'data.message does not have the shape of an AiSensy message');
  const phone = toE164(message.phone_number ?? '');

  if (topic === STATUS_UPDATE) {
    const status = message.status?.toLowerCase() ?? '';
    if (!message.messageId)
      return unhandled('unrecognised', 'a status update without data.message.messageId');
    if (!STATUSES.has(status))
      return unhandled('unknown_status', `status ${message.status} is not sent, delivered, read or failed`);
    const code = message.failureResponse?.code;
    // A template's first status is matched by phone and send time (its wamid is not yet known to us).
    const sentAt = message.sent_at == null ? undefined : timeOf(message.sent_at, new Date());
    const { changed } = await applyDeliveryStatus(db, {
      providerMessageId: message.messageId,
      status: status as DeliveryStatus,
      ...(code != null && { failureCode: String(code) }),
      ...(phone && sentAt && { template: { phone, sentAt } }),
    });
    return { outcome: changed ? 'applied' : 'unchanged' };
  }

  const sender = message.sender?.toUpperCase();
  if (topic === MESSAGE_CREATED && sender !== 'USER' && sender !== 'AGENT')
    return {
      outcome: 'ignored',
      reason: `message.created by ${sender ?? 'no sender'}, not a user or an agent`,
    };
  if (!phone)
    return unhandled('unrecognised', 'data.message.phone_number is not a phone number with its country code');
  const providerMessageId = message.messageId ?? message.id ?? envelope.id;
  if (sender === 'AGENT') {
    const { conversationId } = await recordAgentEcho(db, keys, { phone, providerMessageId, raw: message });
    return { outcome: 'applied', conversationId };
  }
  const at = timeOf(message.sent_at ?? timeField(envelope.created_at), new Date()).toISOString();
  const { conversationId, duplicate } = await receiveInboundMessage(db, keys, {
    phone,
    providerMessageId,
    profileName: message.userName ?? undefined,
    event: await inboundEvent(message, at, (contextId) => findOfferedChoices(db, keys, phone, contextId)),
    raw: message,
  });
  return duplicate ? { outcome: 'duplicate' } : { outcome: 'applied', conversationId };
}

function isFromUser(envelope: AisensyEnvelope): boolean {
  if (envelope.topic === USER_MESSAGE) return true;
  return (
    envelope.topic === MESSAGE_CREATED &&
    String(field(field(envelope.data, 'message'), 'sender')).toUpperCase() === 'USER'
  );
}

/** The user's phone in a message we could not read otherwise, when it is there and readable. */
function phoneIn(data: unknown): string | undefined {
  const phone = field(field(data, 'message'), 'phone_number');
  return typeof phone === 'string' ? toE164(phone) : undefined;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function timeField(value: unknown): string | number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}
