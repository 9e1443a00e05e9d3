/** Task queues shared by the service that starts workflows and the worker that runs them. */
export const FILING_TASK_QUEUE = 'filing';
/** Browser activities run apart, with a small concurrency, so a slow portal never starves the workflows. */
export const PORTAL_TASK_QUEUE = 'cipc-portal';
