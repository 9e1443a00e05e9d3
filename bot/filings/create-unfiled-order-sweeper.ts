import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../../db/create-database.js';
import { startPolling } from '../start-polling.js';
import { sweepUnfiledOrders, type UnfiledOrdersReport } from './sweep-unfiled-orders.js';

export interface UnfiledOrderSweeperDeps {
  db: Db;
  temporal: Client;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** Where `paid_orders_without_filing` is exported (the app's /metrics registry). */
  registry?: Registry;
  now?: () => Date;
  intervalMs?: number;
  /** A paid order whose filing has not started this long after the payment is looked at. */
  graceMs?: number;
}

/**
 * Runs `sweepUnfiledOrders` periodically and exports what the last pass found as a gauge, so a paid order
 * stuck without a filing shows on the dashboard and can raise an alert even when the restart fixes it.
 */
export function createUnfiledOrderSweeper(deps: UnfiledOrderSweeperDeps) {
  const now = deps.now ?? (() => new Date());
  const gauge = new Gauge({
    name: 'paid_orders_without_filing',
    help: 'Paid orders past the grace period whose filing workflow was neither running nor finished, at the last sweep',
    registers: deps.registry ? [deps.registry] : [],
  });
  let polling: ReturnType<typeof startPolling> | undefined;

  async function runOnce(): Promise<UnfiledOrdersReport> {
    const report = await sweepUnfiledOrders(
      { db: deps.db, temporal: deps.temporal },
      { now: now(), graceMs: deps.graceMs ?? 10 * 60_000 },
    );
    gauge.set(report.unfiled);
    if (report.unfiled > 0) deps.logger.warn({ ...report }, 'paid orders without a filing');
    return report;
  }

  return {
    runOnce,
    start(): void {
      polling ??= startPolling(runOnce, deps.intervalMs ?? 60_000, (err) =>
        deps.logger.error({ err }, 'unfiled-order sweep failed'),
      );
    },
    async stop(): Promise<void> {
      await polling?.stop();
      polling = undefined;
    },
  };
}
