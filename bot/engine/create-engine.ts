import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/create-database.js';
import { engineBatchSeconds } from '../metrics/engine-batch-seconds.js';
import { startPolling } from '../start-polling.js';
import { applyConversationEvents, type EngineDeps } from './apply-conversation-events.js';

export interface EngineOptions extends EngineDeps {
  pollIntervalMs?: number;
  onApplied?: () => void;
  /** Batches in flight at once; bounded so the engine never takes every connection from the webhooks. */
  maxConcurrentBatches?: number;
  /** Conversations one batch (one transaction) takes at most. */
  maxBatchSize?: number;
}

/**
 * Runs the engine in this process: `kick` asks for a conversation's events to be applied now (after a
 * webhook stored one); a poll picks up events stored elsewhere (the filing worker, other replicas).
 * Kicked conversations wait in arrival order and leave together in batches, one transaction each: the
 * busier the webhooks, the more each commit carries. A conversation is in at most one batch at a time
 * here; a kick while it is in one runs it again afterwards (the event may have come after the batch
 * looked). The row locks keep replicas apart.
 */
export function createEngine(options: EngineOptions) {
  const maxConcurrentBatches = options.maxConcurrentBatches ?? 4;
  const maxBatchSize = options.maxBatchSize ?? 64;
  /** Kicked conversations (in kick order) and who waits for their next run. */
  const queued = new Map<string, (() => void)[]>();
  const inFlight = new Set<string>();
  const batches = new Set<Promise<void>>();
  let polling: ReturnType<typeof startPolling> | undefined;

  function takeBatch(): Map<string, (() => void)[]> {
    const batch = new Map<string, (() => void)[]>();
    for (const [conversationId, waiters] of queued) {
      if (inFlight.has(conversationId)) continue;
      batch.set(conversationId, waiters);
      if (batch.size === maxBatchSize) break;
    }
    for (const conversationId of batch.keys()) {
      queued.delete(conversationId);
      inFlight.add(conversationId);
    }
    return batch;
  }

  async function runBatch(batch: Map<string, (() => void)[]>): Promise<void> {
    try {
      const applying = engineBatchSeconds.startTimer();
      const { handled, more } = await applyConversationEvents(options, [...batch.keys()]);
      applying();
      if (handled > 0) options.onApplied?.();
      for (const conversationId of more) if (!queued.has(conversationId)) queued.set(conversationId, []);
    } catch (err) {
      options.logger.error({ err, conversations: batch.size }, 'engine batch failed');
    } finally {
      for (const [conversationId, waiters] of batch) {
        inFlight.delete(conversationId);
        for (const done of waiters) done();
      }
    }
  }

  function pump(): void {
    while (batches.size < maxConcurrentBatches) {
      const batch = takeBatch();
      if (batch.size === 0) return;
      const running = runBatch(batch).finally(() => {
        batches.delete(running);
        pump();
      });
      batches.add(running);
    }
  }

  /** Resolves when a run of this conversation that started after the kick has finished. */
  function kick(conversationId: string): Promise<void> {
    return new Promise((resolve) => {
      const waiters = queued.get(conversationId);
      if (waiters) waiters.push(resolve);
      else queued.set(conversationId, [resolve]);
      pump();
    });
  }

  async function poll(): Promise<void> {
    const rows = await queryRows<{ conversation_id: string }>(
      options.db,
      sql`select distinct conversation_id from events where status = 'pending' and conversation_id is not null limit 200`,
    );
    // Those already kicked or in a batch are on their way: kicking them again would only run them twice.
    const waiting = rows.filter(
      (row) => !queued.has(row.conversation_id) && !inFlight.has(row.conversation_id),
    );
    await Promise.all(waiting.map((row) => kick(row.conversation_id)));
  }

  return {
    kick,
    poll,
    start(): void {
      polling ??= startPolling(poll, options.pollIntervalMs ?? 500, (err) =>
        options.logger.error({ err }, 'engine poll failed'),
      );
    },
    async stop(): Promise<void> {
      await polling?.stop();
      polling = undefined;
      while (batches.size > 0) await Promise.all(batches);
    },
  };
}
export type Engine = ReturnType<typeof createEngine>;
