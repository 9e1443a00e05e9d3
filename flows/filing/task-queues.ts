/** Task queues shared by the service that starts workflows and the worker that runs them. */
export const FILING_TASK_QUEUE = 'filing';
/** Browser activities run apart, with a small concurrency, so a slow portal never starves the workflows. */
export const PORTAL_TASK_QUEUE = 'cipc-portal';

/**
 * The browser queue that goes with a filing queue: the production pair above, or `<queue>-portal` for any
 * other (tests run isolated pairs). Workflows and the worker both derive it, so nothing else carries it.
 */
export function portalTaskQueueFor(filingTaskQueue: string): string {
  return filingTaskQueue === FILING_TASK_QUEUE ? PORTAL_TASK_QUEUE : `${filingTaskQueue}-portal`;
}
