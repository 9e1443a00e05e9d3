import { Context } from '@temporalio/activity';

export function createWorkerActivities(deps: { version: string }) {
  return {
    async describeWorker(): Promise<{ workerIdentity: string; version: string }> {
      return { workerIdentity: `${Context.current().info.taskQueue}@${process.pid}`, version: deps.version };
    },
  };
}
export type WorkerActivities = ReturnType<typeof createWorkerActivities>;
