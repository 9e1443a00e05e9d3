/**
 * The smallest workflow that proves a worker is really executing: one activity reports who ran it.
 * Operators (and tests) start it to check the whole Temporal path end to end.
 */
export const WORKER_CANARY_WORKFLOW = 'workerCanary';

export interface WorkerCanaryResult {
  workerIdentity: string;
  version: string;
  echo: string;
}
