import type { Logger } from 'pino';
import type { Db } from '../../../db/create-database.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { startPolling } from '../../start-polling.js';
import { releaseIdleConversations } from './release-idle-conversations.js';

export interface IdleReleaseSweeperDeps {
  db: Db;
  keys: KeyRing;
  logger: Pick<Logger, 'info' | 'error'>;
  /** AGENT_IDLE_MINUTES, in ms. */
  idleMs: number;
  now?: () => Date;
  intervalMs?: number;
  /** A hand-back was stored for this conversation: the engine may apply it now. */
  onEventStored?: (conversationId: string) => void;
}

/** Runs `releaseIdleConversations` periodically: an agent's hold ends by hand or, at the latest, by this. */
export function createIdleReleaseSweeper(deps: IdleReleaseSweeperDeps) {
  const now = deps.now ?? (() => new Date());
  let polling: ReturnType<typeof startPolling> | undefined;

  async function runOnce(): Promise<string[]> {
    const released = await releaseIdleConversations(deps.db, deps.keys, { now: now(), idleMs: deps.idleMs });
    if (released.length > 0) deps.logger.info({ released: released.length }, 'idle agent holds handed back');
    for (const conversationId of released) deps.onEventStored?.(conversationId);
    return released;
  }

  return {
    runOnce,
    start(): void {
      polling ??= startPolling(runOnce, deps.intervalMs ?? 30_000, (err) =>
        deps.logger.error({ err }, 'idle hand-back sweep failed'),
      );
    },
    async stop(): Promise<void> {
      await polling?.stop();
      polling = undefined;
    },
  };
}
