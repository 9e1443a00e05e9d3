import Bottleneck from 'bottleneck';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/create-database.js';
import { applyConversationEvents, type EngineDeps } from './apply-conversation-events.js';

/**
 * Runs the engine in this process: `kick` applies a conversation's events now (after a webhook stored
 * one); a poll picks up events stored elsewhere (the filing worker, other replicas). One run per
 * conversation at a time here; the row lock keeps replicas apart.
 */
export function createEngine(
  deps: EngineDeps & { pollIntervalMs?: number; onApplied?: () => void; maxConcurrentConversations?: number },
) {
  // Bounded so engine runs never take every database connection from the webhooks storing events.
  const limiter = new Bottleneck({ maxConcurrent: deps.maxConcurrentConversations ?? 8 });
  const runs = new Map<string, Promise<void>>();
  const rerun = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;

  function kick(conversationId: string): Promise<void> {
    const current = runs.get(conversationId);
    if (current) {
      rerun.add(conversationId);
      return current;
    }
    const run = (async () => {
      do {
        rerun.delete(conversationId);
        try {
          if ((await limiter.schedule(() => applyConversationEvents(deps, conversationId))) > 0)
            deps.onApplied?.();
        } catch (err) {
          deps.logger.error({ err, conversationId }, 'engine run failed');
        }
      } while (rerun.has(conversationId));
      runs.delete(conversationId);
    })();
    runs.set(conversationId, run);
    return run;
  }

  async function poll(): Promise<void> {
    const rows = await queryRows<{ conversation_id: string }>(
      deps.db,
      sql`select distinct conversation_id from events where status = 'pending' and conversation_id is not null limit 200`,
    );
    await Promise.all(rows.map((row) => kick(row.conversation_id)));
  }

  return {
    kick,
    poll,
    start(): void {
      stopped = false;
      const tick = () => {
        if (stopped) return;
        poll()
          .catch((err) => deps.logger.error({ err }, 'engine poll failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, deps.pollIntervalMs ?? 500);
          });
      };
      tick();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(runs.values());
    },
  };
}
export type Engine = ReturnType<typeof createEngine>;
