/**
 * Work a route starts after it has answered (a PayFast ITN is verified after its 200). `settled()` lets a
 * test, or a shutting-down server, wait for all of it.
 */
export function backgroundTasks(onError: (err: unknown) => void) {
  const running = new Set<Promise<void>>();
  return {
    run(task: () => Promise<unknown>): void {
      const promise: Promise<void> = task()
        .then(() => undefined, onError)
        .finally(() => running.delete(promise));
      running.add(promise);
    },
    async settled(): Promise<void> {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
export type BackgroundTasks = ReturnType<typeof backgroundTasks>;
