import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/create-database.js';
import { type KeyRing, type Sealed, sealJson } from '../../db/seal-json.js';
import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';
import type { OutboxKind } from '../outbox/outbox-commands.js';
import { sealOutboxPayload } from '../outbox/seal-outbox-payload.js';

export interface PendingOutboxRow {
  conversationId: string;
  kind: OutboxKind;
  payload: object;
  /** A message for the transcript too: its send then carries the transcript row's id (`messageRowId`). */
  transcript?: OutboundMessage;
  /** Written by this agent (the transcript row's author is `agent`, its body names them), not the bot. */
  author?: { agentId: string; agentName: string };
}

export interface EngineResults {
  /** In the order the commands produced them: the dispatcher sends a conversation's rows by id. */
  outbox: PendingOutboxRow[];
  snapshots: { conversationId: string; snapshot: Sealed }[];
  machineVersion: number;
  processedEventIds: number[];
}

/**
 * Everything an engine transaction decided, in one statement (one round trip however many conversations
 * and messages it holds): transcript rows and their sends, the new snapshots, the events marked processed.
 * Ids follow the input order: a conversation's messages leave in the order the machine said them.
 * Messages hold personal data (the summary an owner confirms, what they typed read back): the transcript
 * body and the send's payload are sealed here, their kinds stay readable.
 */
export async function writeEngineResults(tx: Tx, results: EngineResults, keys: KeyRing): Promise<void> {
  const outbox = results.outbox.map((row) => ({
    conversationId: row.conversationId,
    kind: row.kind,
    payload: sealOutboxPayload(row.kind, row.payload, keys),
    transcriptKind: row.transcript?.kind ?? null,
    transcriptBody: row.transcript ? sealJson({ ...row.transcript, ...row.author }, keys) : null,
    author: row.author ? 'agent' : 'bot',
  }));
  await tx.execute(sql`with input as (
      select r.ord, (r.value->>'conversationId')::uuid as conversation_id, r.value->>'kind' as kind,
             r.value->'payload' as payload, r.value->>'transcriptKind' as transcript_kind, r.value->>'author' as author,
             nullif(r.value->'transcriptBody', 'null'::jsonb) as transcript_body
      from jsonb_array_elements(${JSON.stringify(outbox)}::jsonb) with ordinality as r(value, ord)
    ), numbered as (
      select ordered.*,
             case when transcript_body is not null then nextval(pg_get_serial_sequence('messages', 'id')) end as message_id
      from (select * from input order by ord) as ordered
    ), transcript as (
      insert into messages (id, conversation_id, direction, author, kind, body, status)
      select message_id, conversation_id, 'out', author, transcript_kind, transcript_body, 'queued'
      from numbered where message_id is not null order by ord
    ), queued as (
      insert into outbox (conversation_id, kind, payload)
      select conversation_id, kind,
             case when message_id is null then payload else payload || jsonb_build_object('messageRowId', message_id) end
      from numbered order by ord
    ), saved as (
      update conversations set snapshot = s.value->'snapshot', machine_version = ${results.machineVersion},
             updated_at = now()
      from jsonb_array_elements(${JSON.stringify(results.snapshots)}::jsonb) as s(value)
      where conversations.id = (s.value->>'conversationId')::uuid
    )
    update events set status = 'processed', processed_at = clock_timestamp()
    where id in (select jsonb_array_elements_text(${JSON.stringify(results.processedEventIds)}::jsonb)::bigint)`);
}
