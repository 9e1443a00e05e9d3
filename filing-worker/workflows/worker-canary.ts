import { proxyActivities } from '@temporalio/workflow';
import type { WorkerCanaryResult } from '../../flows/filing/worker-canary.js';
import type { WorkerActivities } from '../activities/create-worker-activities.js';

const { describeWorker } = proxyActivities<WorkerActivities>({ startToCloseTimeout: '10 seconds' });

export async function workerCanary(echo: string): Promise<WorkerCanaryResult> {
  return { ...(await describeWorker()), echo };
}
