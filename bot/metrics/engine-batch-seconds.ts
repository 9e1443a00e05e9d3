import { Histogram } from 'prom-client';

/**
 * How long the engine takes to apply one batch of conversations (one transaction: load, transition, store
 * the snapshots and outbox rows). Module-wide because the engine is built apart from the app; the metrics
 * plugin registers it on each app's registry.
 */
export const engineBatchSeconds = new Histogram({
  name: 'engine_batch_seconds',
  help: "Time to apply one engine batch (one transaction over a few conversations' pending events)",
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [],
});
