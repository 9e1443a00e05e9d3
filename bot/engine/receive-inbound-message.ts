import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/create-database.js';
import { type KeyRing, sealJson } from '../../db/seal-json.js';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';

export interface InboundMessage {
  phone: string;
  /** WhatsApp's message id (wamid): the same message delivered twice carries it twice. */
  providerMessageId: string;
  /** The WhatsApp profile name the message came with, if any: the contact's name until one is given. */
  profileName?: string;
  event: ConversationEvent;
  raw: unknown;
}

/**
 * Stores a user's message as an event and on the transcript, creating the contact and conversation on
 * first contact: when this returns the message is durable and the webhook may answer 2xx. A replay is a
 * no-op (`duplicate: true`). One statement (PostgreSQL runs every data-modifying CTE, referenced or not) (so one round trip, atomic on its own): this is the hot path of
 * every webhook. Its upsert of the conversation row takes that row's lock, which orders event ids per
 * conversation by commit, as the engine relies on. What the user sent can be anything they typed (an ID
 * number, an email): the event's payload and the transcript's body are sealed (`sealJson`), their type
 * and kind stay readable. The contact takes the WhatsApp profile name when it has no name yet (an owner who
 * starts on WhatsApp is known to agents and templates by it; a name given through the website wins).
 */
export async function receiveInboundMessage(
  db: Db,
  keys: KeyRing,
  inbound: InboundMessage,
): Promise<{ conversationId: string; duplicate: boolean }> {
  const [row] = await queryRows<{ conversation_id: string; stored: number | string }>(
    db,
    sql`with contact as (
          insert into contacts (phone, name) values (${inbound.phone}, ${profileNameOf(inbound.profileName)})
          on conflict (phone) do update set name = coalesce(contacts.name, excluded.name)
          returning id
        ), conversation as (
          insert into conversations (contact_id, machine_version, last_inbound_at)
          select id, 0, ${inbound.event.at}::timestamptz from contact
          on conflict (contact_id) do update
            set last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at)
          returning id
        ), event as (
          insert into events (conversation_id, dedupe_key, type, payload)
          select id, ${`wa:${inbound.providerMessageId}`}, ${inbound.event.type}, ${JSON.stringify(sealJson(inbound.event, keys))}::jsonb
          from conversation
          on conflict (dedupe_key) do nothing
          returning conversation_id
        ), transcript as (
          insert into messages (conversation_id, direction, author, provider_message_id, kind, body, status)
          select conversation_id, 'in', 'user', ${inbound.providerMessageId}, ${inbound.event.type},
                 ${JSON.stringify(sealJson(inbound.raw, keys))}::jsonb, 'received'
          from event
          on conflict do nothing
        )
        select (select id from conversation) as conversation_id, (select count(*) from event) as stored`,
  );
  if (!row) throw new Error('storing the inbound message returned nothing');
  return { conversationId: row.conversation_id, duplicate: Number(row.stored) === 0 };
}

/** WhatsApp profile names are free text up to a few dozen characters; blank means none. */
function profileNameOf(name: string | undefined): string | null {
  const trimmed = name?.trim().slice(0, 100);
  return trimmed ? trimmed : null;
}
