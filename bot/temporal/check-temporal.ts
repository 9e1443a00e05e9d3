import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

/** A poller seen longer ago than this has gone: live workers re-poll at least once a minute. */
const POLLER_FRESH_MS = 90_000;

export async function checkTemporal(connection: Connection, timeoutMs: number): Promise<void> {
  await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
}

/** Whether any worker is polling the task queue for workflow tasks right now. */
export async function checkWorkerPolling(
  connection: Connection,
  namespace: string,
  taskQueue: string,
  timeoutMs: number,
): Promise<void> {
  const response = await connection.withDeadline(Date.now() + timeoutMs, () =>
    connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    }),
  );
  const now = Date.now();
  const live = (response.pollers ?? []).filter((poller) => {
    const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
    return now - seconds * 1000 < POLLER_FRESH_MS;
  });
  if (live.length === 0) throw new Error(`no worker is polling the task queue "${taskQueue}"`);
}
