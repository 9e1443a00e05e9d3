import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/create-database.js';
import { type KeyRing, openJson } from '../../db/seal-json.js';
import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';

/**
 * The buttons or list message a tap from `phone` answers, from the transcript: the one WhatsApp names in
 * `context.id` when it is ours, else the last one actually sent to that chat (a row still queued has not
 * reached the phone, so it cannot have been tapped). Empty when the chat was never offered a choice.
 * Chosen by the clear columns (kind, wamid), then the one body is opened.
 */
export async function findOfferedChoices(
  db: Db,
  keys: KeyRing,
  phone: string,
  contextId: string | undefined,
): Promise<OutboundMessage[]> {
  const rows = await queryRows<{ body: unknown }>(
    db,
    sql`select m.body
        from contacts k
        join conversations c on c.contact_id = k.id
        join messages m on m.conversation_id = c.id
        where k.phone = ${phone} and m.direction = 'out' and m.kind in ('buttons', 'list')
          and m.provider_message_id is not null
        order by m.provider_message_id = ${contextId ?? ''} desc, m.id desc
        limit 1`,
  );
  return rows.map((row) => openJson<OutboundMessage>(row.body, keys));
}
