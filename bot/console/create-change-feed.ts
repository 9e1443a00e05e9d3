import { and, desc, eq, gt } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/create-database.js';
import { conversations, filings, messages, orders } from '../../db/schema.js';

export type ChangeListener = (conversationIds: string[]) => void;

export interface ChangeFeed {
  /** Calls `listener` with the conversations that changed since the last poll; returns the unsubscribe. */
  subscribe(listener: ChangeListener): () => void;
  stop(): void;
}

/**
 * Which conversations changed, for the console's live updates. The database is the only thing every
 * replica shares (a change may be written by another replica, the worker's milestones by the engine there,
 * and PGlite has no LISTEN across processes), so one poller per process reads it and fans out to every open
 * console. A row's `updated_at` is its transaction's start time, so a transaction committing late can carry
 * a time already passed: each poll looks back `overlapMs` and remembers what it already reported. Delivery
 * ticks are looked for among the newest `tickWindow` messages only, by primary key, so a poll never scans
 * the transcript table.
 */
export function createChangeFeed(
  db: Db,
  options: { intervalMs?: number; overlapMs?: number; tickWindow?: number; logger?: FastifyBaseLogger } = {},
): ChangeFeed {
  const intervalMs = options.intervalMs ?? 700;
  const overlapMs = options.overlapMs ?? 3_000;
  const tickWindow = options.tickWindow ?? 1_000;
  const listeners = new Set<ChangeListener>();
  const reported = new Map<string, number>();
  let since = Date.now() - overlapMs;
  let newestMessageId: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  async function changedConversations(): Promise<string[]> {
    if (newestMessageId === undefined) {
      const [newest] = await db
        .select({ id: messages.id })
        .from(messages)
        .orderBy(desc(messages.id))
        .limit(1);
      newestMessageId = newest?.id ?? 0;
    }
    const after = new Date(since);
    const [conversationRows, messageRows, filingRows] = await Promise.all([
      db
        .select({ conversationId: conversations.id, at: conversations.updatedAt })
        .from(conversations)
        .where(gt(conversations.updatedAt, after)),
      db
        .select({ id: messages.id, conversationId: messages.conversationId, at: messages.updatedAt })
        .from(messages)
        .where(and(gt(messages.id, newestMessageId - tickWindow), gt(messages.updatedAt, after))),
      db
        .select({ id: filings.id, conversationId: orders.conversationId, at: filings.updatedAt })
        .from(filings)
        .innerJoin(orders, eq(orders.id, filings.orderId))
        .where(gt(filings.updatedAt, after)),
    ]);
    const changed = new Set<string>();
    const rows = [
      ...conversationRows.map((r) => ({ key: `c${r.conversationId}`, ...r })),
      ...messageRows.map((r) => ({ key: `m${r.id}`, ...r })),
      ...filingRows.map((r) => ({ key: `f${r.id}`, ...r })),
    ];
    let newest = since;
    for (const row of rows) {
      const at = row.at.getTime();
      newest = Math.max(newest, at);
      if ((reported.get(row.key) ?? -1) >= at) continue;
      reported.set(row.key, at);
      changed.add(row.conversationId);
    }
    for (const row of messageRows) newestMessageId = Math.max(newestMessageId, row.id);
    since = Math.max(since, newest - overlapMs);
    for (const [key, at] of reported) if (at <= since) reported.delete(key);
    return [...changed];
  }

  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const changed = await changedConversations();
      if (changed.length > 0) for (const listener of listeners) listener(changed);
    } catch (error) {
      options.logger?.warn({ err: error }, 'console change feed: poll failed; trying again');
    } finally {
      polling = false;
    }
  }

  function stop() {
    clearInterval(timer);
    timer = undefined;
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      // Polls only while someone watches; the first watcher starts from now, not from the process start.
      if (!timer) {
        since = Date.now() - overlapMs;
        timer = setInterval(poll, intervalMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    stop() {
      listeners.clear();
      stop();
    },
  };
}
