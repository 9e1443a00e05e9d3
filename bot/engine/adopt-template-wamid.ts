import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/create-database.js';

/** How long before a status's send time a template's submission may lie, and how long after (clock skew). */
const BEFORE_MS = 10 * 60_000;
const AFTER_MS = 60_000;

/**
 * AiSensy's campaign API answers a template send with its own `submitted_message_id`, never the wamid
 * its status webhooks then carry, so a template's first status names a message we have never seen. That
 * wamid is given to the oldest template send to the same phone that still has none and was accepted
 * within the status's send time window (WhatsApp sends a template seconds after AiSensy accepts it);
 * later statuses then match it directly. The status carries no template name, so two templates to one
 * phone within seconds may swap ticks, which is harmless; a template whose statuses never came within the
 * window keeps `sent` with no wamid, honestly untracked. Returns whether a message has the wamid now.
 */
export async function adoptTemplateWamid(
  tx: Tx,
  status: { wamid: string; phone: string; sentAt: Date },
): Promise<boolean> {
  // One adoption per wamid at a time: its sent and delivered statuses may arrive together, and the one
  // that waited finds the wamid taken by the other (its next statement sees that commit).
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`wamid:${status.wamid}`}, 0))`);
  const known = await queryRows(
    tx,
    sql`select 1 from messages where provider_message_id = ${status.wamid} limit 1`,
  );
  if (known.length > 0) return true;
  const sentAt = status.sentAt.getTime();
  const adopted = await queryRows<{ id: number }>(
    tx,
    sql`update messages set provider_message_id = ${status.wamid}, updated_at = now()
        where id = (
          select m.id from messages m
          join conversations c on c.id = m.conversation_id
          join contacts ct on ct.id = c.contact_id
          where ct.phone = ${status.phone}
            and m.submitted_message_id is not null and m.provider_message_id is null
            and m.sent_at between ${new Date(sentAt - BEFORE_MS).toISOString()}::timestamptz
                              and ${new Date(sentAt + AFTER_MS).toISOString()}::timestamptz
          order by m.sent_at, m.id
          limit 1
          for update of m skip locked)
        returning id`,
  );
  return adopted.length > 0;
}
