import { type SQL, sql } from 'drizzle-orm';
import { eventPayloadIsPersonal, sealEventPayload } from '../../bot/engine/seal-event-payload.js';
import { outboxPayloadIsPersonal, sealOutboxPayload } from '../../bot/outbox/seal-outbox-payload.js';
import { type Db, queryRows } from '../../db/create-database.js';
import { keyIdIn, keyIdOf, reencryptField } from '../../db/encrypt-field.js';
import { isSealedBytes, openBytes, sealBytes, sealedBytesKeyId } from '../../db/seal-bytes.js';
import { isSealed, type KeyRing, resealJson, sealedUnderNewest, sealJson } from '../../db/seal-json.js';

/** Per column: rows looked at and rows rewritten under the newest key. */
export type RotationCounts = Record<string, { scanned: number; changed: number }>;

/**
 * A column holding personal data and what its value should become under the newest key: `undefined`
 * when it already is (under the newest key, or clear by design). `sort` and `id` page through the table.
 */
interface SealedColumn {
  table: string;
  id: string;
  column: string;
  kind: 'jsonb' | 'text' | 'bytea';
  /** Other columns the rule needs (an event's type, an outbox row's kind). */
  with?: string;
  next(value: unknown, row: Record<string, unknown>, keys: KeyRing): unknown;
}

const jsonSealed =
  (sealClear: (value: unknown, row: Record<string, unknown>, keys: KeyRing) => unknown) =>
  (value: unknown, row: Record<string, unknown>, keys: KeyRing): unknown => {
    if (value === null) return undefined;
    if (isSealed(value)) return sealedUnderNewest(value, keys) ? undefined : resealJson(value, keys);
    return sealClear(value, row, keys);
  };

const fieldSealed = (value: unknown, _row: Record<string, unknown>, keys: KeyRing): unknown => {
  if (typeof value !== 'string') return undefined;
  return keyIdIn(value) === keyIdOf(keys[0] as Buffer) ? undefined : reencryptField(value, keys);
};

/** Every place the service keeps personal data encrypted, and rows written before it did. */
const COLUMNS: SealedColumn[] = [
  {
    table: 'conversations',
    id: 'id',
    column: 'snapshot',
    kind: 'jsonb',
    next: jsonSealed((value, _row, keys) => sealJson(value, keys)),
  },
  {
    table: 'events',
    id: 'id',
    column: 'payload',
    kind: 'jsonb',
    with: 'type',
    next: jsonSealed((value, row, keys) =>
      eventPayloadIsPersonal(String(row.type))
        ? sealEventPayload({ ...(value as Record<string, unknown>), type: String(row.type) }, keys)
        : undefined,
    ),
  },
  {
    table: 'messages',
    id: 'id',
    column: 'body',
    kind: 'jsonb',
    next: jsonSealed((value, _row, keys) => sealJson(value, keys)),
  },
  {
    table: 'outbox',
    id: 'id',
    column: 'payload',
    kind: 'jsonb',
    with: 'kind',
    next: jsonSealed((value, row, keys) =>
      outboxPayloadIsPersonal(String(row.kind))
        ? sealOutboxPayload(String(row.kind), value as object, keys)
        : undefined,
    ),
  },
  {
    table: 'unhandled_aisensy_deliveries',
    id: 'id',
    column: 'body',
    kind: 'jsonb',
    next: jsonSealed((value, _row, keys) => sealJson(value, keys)),
  },
  {
    table: 'conversation_notes',
    id: 'id',
    column: 'body',
    kind: 'jsonb',
    next: jsonSealed((value, _row, keys) => sealJson(value, keys)),
  },
  { table: 'orders', id: 'id', column: 'email_encrypted', kind: 'text', next: fieldSealed },
  { table: 'orders', id: 'id', column: 'fas_encrypted', kind: 'text', next: fieldSealed },
  {
    table: 'payment_notifications',
    id: 'id',
    column: 'raw_body',
    kind: 'bytea',
    next: (value, _row, keys) => {
      const bytes = Buffer.from(value as Uint8Array);
      if (!isSealedBytes(bytes)) return sealBytes(bytes, keys);
      if (sealedBytesKeyId(bytes) === keyIdOf(keys[0] as Buffer)) return undefined;
      return sealBytes(openBytes(bytes, keys), keys);
    },
  },
];

/**
 * Re-encrypts every personal-data value in the database under the newest key of `keys` (sealing those
 * written in the clear before the service sealed them), a batch of rows per transaction. Each row is
 * rewritten only if it still holds the value that was read (the service may run alongside: a snapshot it
 * saved meanwhile is newer and already under the newest key), and a value already under the newest key
 * is left alone, so the rotation can be stopped at any point and run again: the second run changes 0.
 */
export async function reencryptDatabase(
  db: Db,
  keys: KeyRing,
  options: { batchSize?: number; onBatch?: (table: string, counts: RotationCounts[string]) => void } = {},
): Promise<RotationCounts> {
  const batchSize = options.batchSize ?? 500;
  const counts: RotationCounts = {};
  const present = new Set(
    (
      await queryRows<{ table_name: string }>(
        db,
        sql`select table_name from information_schema.tables where table_schema = current_schema()`,
      )
    ).map((row) => row.table_name),
  );
  for (const column of COLUMNS.filter((c) => present.has(c.table))) {
    const name = `${column.table}.${column.column}`;
    const tally = { scanned: 0, changed: 0 };
    counts[name] = tally;
    let after: string | number | null = null;
    for (;;) {
      const page: Record<string, unknown>[] = await queryRows<Record<string, unknown>>(
        db,
        sql`select ${sql.identifier(column.id)} as id, ${sql.identifier(column.column)} as value
                   ${column.with ? sql`, ${sql.identifier(column.with)}` : sql``}
            from ${sql.identifier(column.table)}
            where ${after === null ? sql`true` : sql`${sql.identifier(column.id)} > ${after}`}
            order by ${sql.identifier(column.id)}
            limit ${batchSize}`,
      );
      if (page.length === 0) break;
      await db.transaction(async (tx) => {
        for (const row of page) {
          const next = column.next(row.value, row, keys);
          if (next === undefined) continue;
          const updated = await queryRows(
            tx,
            sql`update ${sql.identifier(column.table)} set ${sql.identifier(column.column)} = ${literal(column, next)}
                where ${sql.identifier(column.id)} = ${row.id} and ${sql.identifier(column.column)} = ${literal(column, row.value)}
                returning 1`,
          );
          tally.changed += updated.length;
        }
      });
      tally.scanned += page.length;
      after = page.at(-1)?.id as string | number;
      options.onBatch?.(name, tally);
    }
  }
  return counts;
}

function literal(column: SealedColumn, value: unknown): SQL {
  if (column.kind === 'jsonb') return sql`${JSON.stringify(value)}::jsonb`;
  if (column.kind === 'bytea') return sql`${Buffer.from(value as Uint8Array)}::bytea`;
  return sql`${value as string}`;
}
