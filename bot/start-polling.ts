/**
 * Runs `pass` now and again `intervalMs` after each pass ends (never two at once) until stopped. A pass
 * that fails is reported and the next one still runs. `stop` waits for the pass under way.
 */
export function startPolling(
  pass: () => Promise<unknown>,
  intervalMs: number,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    running = pass()
      .then(() => undefined, onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
