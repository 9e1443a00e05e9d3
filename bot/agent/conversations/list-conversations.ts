import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/create-database.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { formatPhone } from '../../../flows/conversation/format-phone.js';
import { windowClosesAt } from '../../../flows/conversation/whatsapp-window.js';
import { readTranscript } from './read-transcript.js';

export const QUEUE_STATES = ['waiting', 'mine', 'bot', 'all'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueItem {
  id: string;
  /** E.164, and as people read it (`+27 82 123 4567`). */
  phone: string;
  phoneDisplay: string;
  /** The owner's name, when they gave it. */
  name: string | null;
  companyName: string | null;
  registrationNumber: string | null;
  /** waiting: for a person; withAgent: a person holds it; bot: the bot has it. */
  state: 'waiting' | 'withAgent' | 'bot';
  owner: 'bot' | 'agent';
  assignedAgent: { id: string; name: string } | null;
  /** Why it needs a person, and since when (the Waiting view is oldest first). */
  needsAgent: string | null;
  waitingSince: string | null;
  lastMessage: { author: string; text: string; at: string } | null;
  /** When free text stops reaching the owner (24 hours after their last message); null if they never wrote. */
  windowClosesAt: string | null;
  updatedAt: string;
}

interface Row {
  id: string;
  phone: string;
  name: string | null;
  owner: 'bot' | 'agent';
  assigned_agent_id: string | null;
  assigned_agent_name: string | null;
  needs_agent: string | null;
  needs_agent_since: Date | string | null;
  last_inbound_at: Date | string | null;
  updated_at: Date | string;
  company_name: string | null;
  registration_number: string | null;
}

const iso = (at: Date | string | null) => (at === null ? null : new Date(at).toISOString());

/**
 * The console's queue: `waiting` (for a person, the bot still answering, oldest wait first), `mine`
 * (assigned to this agent), `bot`, `all`; `q` searches phone digits, the owner's name, the company's name
 * and its registration number (as the latest order or lookup has them).
 */
export async function listConversations(
  db: Db,
  keys: KeyRing,
  options: { state: QueueState; q?: string; agentId: string; limit?: number },
): Promise<QueueItem[]> {
  const filters: SQL[] = [];
  if (options.state === 'waiting') filters.push(sql`c.needs_agent is not null and c.owner = 'bot'`);
  if (options.state === 'mine') filters.push(sql`c.assigned_agent_id = ${options.agentId}::uuid`);
  if (options.state === 'bot') filters.push(sql`c.owner = 'bot'`);
  const q = options.q?.trim();
  if (q) filters.push(searchFilter(q));
  const where = filters.length > 0 ? sql.join(filters, sql` and `) : sql`true`;
  const order =
    options.state === 'waiting'
      ? sql`c.needs_agent_since asc nulls last, c.id`
      : sql`c.updated_at desc, c.id`;
  const rows = await queryRows<Row>(
    db,
    sql`select * from (
          select c.id, ct.phone, ct.name, c.owner, c.assigned_agent_id, a.name as assigned_agent_name,
                 c.needs_agent, c.needs_agent_since, c.last_inbound_at, c.updated_at,
                 coalesce(o.company_name, l.payload->'company'->>'name') as company_name,
                 coalesce(o.registration_number, l.payload->'company'->>'registrationNumber') as registration_number
          from conversations c
          join contacts ct on ct.id = c.contact_id
          left join agents a on a.id = c.assigned_agent_id
          left join lateral (select company_name, registration_number from orders
                             where conversation_id = c.id order by created_at desc limit 1) o on true
          left join lateral (select payload from events
                             where conversation_id = c.id and type = 'lookup.found'
                             order by id desc limit 1) l on true
        ) c
        where ${where}
        order by ${order}
        limit ${options.limit ?? 100}`,
  );
  const previews = await readTranscript(
    db,
    keys,
    rows.map((row) => row.id),
    { latest: 1 },
  );
  return rows.map((row) => {
    const last = previews.get(row.id)?.at(-1);
    const lastInbound = row.last_inbound_at === null ? null : new Date(row.last_inbound_at);
    return {
      id: row.id,
      phone: row.phone,
      phoneDisplay: formatPhone(row.phone),
      name: row.name,
      companyName: row.company_name,
      registrationNumber: row.registration_number,
      state: row.owner === 'agent' ? 'withAgent' : row.needs_agent !== null ? 'waiting' : 'bot',
      owner: row.owner,
      assignedAgent:
        row.assigned_agent_id === null
          ? null
          : { id: row.assigned_agent_id, name: row.assigned_agent_name ?? '' },
      needsAgent: row.needs_agent,
      waitingSince: row.needs_agent === null ? null : iso(row.needs_agent_since),
      lastMessage: last
        ? { author: last.type === 'message' ? last.author : 'system', text: last.text, at: last.at }
        : null,
      windowClosesAt: windowClosesAt(lastInbound)?.toISOString() ?? null,
      updatedAt: iso(row.updated_at) as string,
    };
  });
}

/** Digits search phones and registration numbers whatever their punctuation; words, names. */
function searchFilter(q: string): SQL {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const text = sql`(c.name ilike ${like} or c.company_name ilike ${like} or c.registration_number ilike ${like})`;
  // A local number (082 ...) is the E.164 one without its 27: search without the trunk 0.
  const digits = q.replace(/\D/g, '').replace(/^0/, '');
  if (digits.length < 3) return text;
  const digitLike = `%${digits}%`;
  return sql`(${text} or regexp_replace(c.phone, '\\D', '', 'g') like ${digitLike}
              or regexp_replace(coalesce(c.registration_number, ''), '\\D', '', 'g') like ${digitLike})`;
}
