import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { orders, outbox } from '../../db/schema.js';
import { filingWorkflowId } from '../../flows/filing/file-annual-returns.js';
import { outboxRow } from '../outbox/outbox-row.js';
import { flagOrder } from '../payments/flag-order.js';

export interface UnfiledOrdersReport {
  /** Paid orders older than the grace period whose filing is neither running nor finished. */
  unfiled: number;
  /** Of those, queued for a fresh start (no workflow was ever started, or Temporal lost it). */
  restarted: number;
  /** Of those, handed to a person (the start failed for good, or the workflow ended without filing). */
  flagged: number;
}

const ENDED_WITHOUT_FILING = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED']);

/**
 * The safety net under "a confirmed payment starts exactly one filing": looks at every order paid more
 * than `graceMs` ago that is not filed yet and asks Temporal about its workflow. Running or completed is
 * fine. None at all (the start never happened, or Temporal lost its history) queues the start again — the
 * workflow id is the order's, so this can never file twice. A start that failed for good, or a workflow
 * that ended without filing, is flagged for a person. Several replicas may sweep at once: a restart is
 * queued only while none is pending, and flagging moves the order out of the sweep.
 */
export async function sweepUnfiledOrders(
  deps: { db: Db; temporal: Client },
  options: { now: Date; graceMs: number; limit?: number },
): Promise<UnfiledOrdersReport> {
  const paid = await deps.db
    .select({ id: orders.id, conversationId: orders.conversationId, reference: orders.reference })
    .from(orders)
    .where(
      and(
        inArray(orders.status, ['paid', 'filing']),
        lt(orders.paidAt, new Date(options.now.getTime() - options.graceMs)),
      ),
    )
    .orderBy(orders.paidAt)
    .limit(options.limit ?? 200);
  const report: UnfiledOrdersReport = { unfiled: 0, restarted: 0, flagged: 0 };
  for (const order of paid) {
    const workflowId = filingWorkflowId(order.id);
    let status: string | undefined;
    try {
      status = (await deps.temporal.workflow.getHandle(workflowId).describe()).status.name;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    if (status === 'RUNNING' || status === 'COMPLETED' || status === 'CONTINUED_AS_NEW') continue;
    report.unfiled++;
    if (status && ENDED_WITHOUT_FILING.has(status)) {
      await flag(deps.db, order, `filing ${workflowId} ended ${status} without filing`, options.now);
      report.flagged++;
      continue;
    }
    const starts = await startFilingRows(deps.db, order.id);
    if (starts.some((row) => row.status === 'pending')) continue; // the dispatcher is still trying
    if (starts.some((row) => row.status === 'failed')) {
      const reason = starts.find((row) => row.status === 'failed')?.lastError ?? 'unknown error';
      await flag(deps.db, order, `the filing of a paid order could not be started: ${reason}`, options.now);
      report.flagged++;
      continue;
    }
    await deps.db
      .insert(outbox)
      .values(outboxRow(order.conversationId, 'temporal.startFiling', { orderId: order.id }));
    report.restarted++;
  }
  return report;
}

function startFilingRows(db: Db, orderId: string) {
  return db
    .select({ status: outbox.status, lastError: outbox.lastError })
    .from(outbox)
    .where(and(eq(outbox.kind, 'temporal.startFiling'), sql`${outbox.payload}->>'orderId' = ${orderId}`));
}

async function flag(
  db: Db,
  order: { id: string; conversationId: string; reference: string },
  why: string,
  now: Date,
): Promise<void> {
  await flagOrder(db, order, `order ${order.reference} is paid but not filed: ${why}`, now);
}
