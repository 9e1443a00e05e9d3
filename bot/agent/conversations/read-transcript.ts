import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/create-database.js';
import { type KeyRing, openJson } from '../../../db/seal-json.js';

export type TranscriptEntry =
  | {
      type: 'message';
      id: number;
      author: 'user' | 'bot' | 'agent';
      /** The agent who wrote it from the console; null for the bot, the owner, or an echo from AiSensy's inbox. */
      agentName: string | null;
      direction: 'in' | 'out';
      kind: string;
      text: string;
      /** The buttons or list rows offered with it. */
      choices?: string[];
      /** The delivery ticks: received, queued, sent, delivered, read or failed (with why). */
      status: string;
      statusReason: string | null;
      at: string;
    }
  /** What happened to the chat itself: an agent joined, it was assigned, handed back. */
  | { type: 'marker'; text: string; at: string };

interface MessageRow {
  id: number | string;
  conversation_id: string;
  direction: 'in' | 'out';
  author: 'user' | 'bot' | 'agent';
  kind: string;
  body: unknown;
  status: string;
  status_reason: string | null;
  created_at: Date | string;
}

interface MarkerRow {
  conversation_id: string;
  payload: unknown;
  received_at: Date | string;
}

/**
 * The newest `latest` entries of each conversation's transcript, oldest first: its messages (every body
 * read here, and only here, so what is stored sealed is opened in one place) and the markers its agent
 * events leave. The queue reads one entry per conversation (the preview), the conversation view many.
 */
export async function readTranscript(
  db: Db,
  keys: KeyRing,
  conversationIds: readonly string[],
  { latest }: { latest: number },
): Promise<Map<string, TranscriptEntry[]>> {
  const transcripts = new Map<string, TranscriptEntry[]>(conversationIds.map((id) => [id, []]));
  if (conversationIds.length === 0) return transcripts;
  const ids = JSON.stringify(conversationIds);
  const [messageRows, markerRows] = await Promise.all([
    queryRows<MessageRow>(
      db,
      sql`select m.* from jsonb_array_elements_text(${ids}::jsonb) as c(id)
          cross join lateral (
            select id, conversation_id, direction, author, kind, body, status, status_reason, created_at
            from messages where conversation_id = c.id::uuid order by id desc limit ${latest}) as m`,
    ),
    queryRows<MarkerRow>(
      db,
      sql`select e.* from jsonb_array_elements_text(${ids}::jsonb) as c(id)
          cross join lateral (
            select conversation_id, payload, received_at from events
            where conversation_id = c.id::uuid
              and type in ('agent.joined', 'agent.assigned', 'agent.released')
            order by id desc limit ${latest}) as e`,
    ),
  ]);
  for (const row of messageRows) transcripts.get(row.conversation_id)?.push(messageEntry(row, keys));
  for (const row of markerRows) {
    const text = markerText(openJson(row.payload, keys));
    if (text) transcripts.get(row.conversation_id)?.push({ type: 'marker', text, at: iso(row.received_at) });
  }
  for (const [id, entries] of transcripts) {
    entries.sort((a, b) => a.at.localeCompare(b.at) || idOf(a) - idOf(b));
    transcripts.set(id, entries.slice(-latest));
  }
  return transcripts;
}

const iso = (at: Date | string) => new Date(at).toISOString();
const idOf = (entry: TranscriptEntry) => (entry.type === 'message' ? entry.id : 0);

function messageEntry(row: MessageRow, keys: KeyRing): TranscriptEntry {
  const body = record(openJson(row.body, keys));
  const { text, choices } =
    row.direction === 'in' || row.kind === 'agent.text' ? fromAisensy(body) : fromOurs(body);
  return {
    type: 'message',
    id: Number(row.id),
    author: row.author,
    agentName: typeof body.agentName === 'string' ? body.agentName : null,
    direction: row.direction,
    kind: row.kind,
    text,
    ...(choices && { choices }),
    status: row.status,
    statusReason: row.status_reason,
    at: iso(row.created_at),
  };
}

/** A message as AiSensy posted it (the owner's, or an agent's echo from its inbox). */
function fromAisensy(body: Record<string, unknown>): { text: string; choices?: string[] } {
  const content = record(body.message_content);
  const interactive = record(body.interactive);
  const reply = record(interactive.button_reply ?? interactive.list_reply);
  const text = [reply.title, content.text, content.title, content.caption].find((v) => typeof v === 'string');
  if (typeof text === 'string') return { text };
  return { text: `[${String(body.message_type ?? 'message').toLowerCase()}]` };
}

/** A message we sent: an `OutboundMessage` (the bot's, or the agent's text). */
function fromOurs(body: Record<string, unknown>): { text: string; choices?: string[] } {
  const titles = (items: unknown) =>
    Array.isArray(items) ? items.map((item) => String(record(item).title ?? '')) : undefined;
  switch (body.kind) {
    case 'buttons':
      return { text: String(body.text ?? ''), choices: titles(body.buttons) };
    case 'list':
      return { text: String(body.text ?? ''), choices: titles(body.rows) };
    case 'link':
      return { text: `${String(body.text ?? '')}\n${String(body.label ?? '')}: ${String(body.url ?? '')}` };
    case 'document':
      return { text: `[document] ${String(body.caption ?? body.filename ?? '')}` };
    default:
      return { text: String(body.text ?? '') };
  }
}

function markerText(payload: unknown): string | undefined {
  const event = record(payload);
  const name = typeof event.agentName === 'string' ? event.agentName : undefined;
  switch (event.type) {
    case 'agent.joined':
      return name ? `${name} joined` : "An agent took over from AiSensy's inbox";
    case 'agent.assigned':
      return `Assigned to ${name ?? 'an agent'}: ${String(event.reason ?? '')}`;
    case 'agent.released':
      if (event.idle) return 'Handed back to the bot after the agent was idle';
      return event.mode === 'restart' ? 'Handed back to the bot (start over)' : 'Handed back to the bot';
    default:
      return undefined;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
