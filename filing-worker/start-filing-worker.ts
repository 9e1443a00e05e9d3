import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { appVersion } from '../config/app-version.js';
import { FILING_TASK_QUEUE } from '../flows/filing/task-queues.js';
import { createWorkerActivities } from './activities/create-worker-activities.js';

export interface FilingWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue?: string;
  logger?: Logger;
}

export interface RunningFilingWorker {
  worker: Worker;
  /** Settles when the worker has stopped (after `stop()`, or a fatal error). */
  done: Promise<void>;
  stop(): Promise<void>;
}

const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
let runtimeInstalled = false;

/** Connects to Temporal and polls the filing task queue until stopped. */
export async function startFilingWorker(options: FilingWorkerOptions): Promise<RunningFilingWorker> {
  if (!runtimeInstalled) {
    // The SDK's runtime (and so its logger) is process-wide: install it once, quiet below warnings.
    runtimeInstalled = true;
    const log = options.logger?.child({ component: 'temporal-worker' });
    Runtime.install({
      logger: new DefaultLogger('WARN', ({ level, message, meta }) =>
        log
          ? log[level === 'ERROR' ? 'error' : 'warn'](meta ?? {}, message)
          : console.warn(level, message, meta ?? ''),
      ),
    });
  }
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? FILING_TASK_QUEUE,
    workflowsPath,
    activities: createWorkerActivities({ version: appVersion }),
  });
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
