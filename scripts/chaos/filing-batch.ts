import { setTimeout as sleep } from 'node:timers/promises';
import { insertPaidOrder } from '../../filing-worker/testing/insert-paid-order.js';
import {
  FILE_ANNUAL_RETURNS_WORKFLOW,
  type FilingResult,
  filingWorkflowId,
} from '../../flows/filing/file-annual-returns.js';
import { FILING_TASK_QUEUE } from '../../flows/filing/task-queues.js';
import { paidBenchOrders } from '../paid-bench-orders.js';
import { type Memory, sampleMemory } from '../sample-memory.js';
import type { ChaosSystem } from './start-chaos-system.js';

let nextCompany = 0;

export interface FiledBatch {
  orders: number;
  wallMs: number;
  /** Orders not filed, or a year not paid exactly once at the portal (e.g. "2019/300001/07 2026 paid 2×"). */
  wrong: string[];
  /** The worker processes and their Chromium, summed per sample: the peak. */
  peak: Memory;
}

/**
 * `count` paid orders (companies the portal has never seen) whose filing workflows all start at once, as
 * the outbox starts them; waits (at most `timeoutMs`) for every result and checks each year was paid
 * exactly once at the portal simulator. `workerPids` are sampled for memory every half second.
 */
export async function fileBatch(
  system: ChaosSystem,
  count: number,
  options: { timeoutMs: number; workerPids: () => number[] },
): Promise<FiledBatch> {
  const orders = await paidBenchOrders(count, {
    today: new Date().toISOString().slice(0, 10),
    portal: system.portal,
    paidOrder: (number, years, name) =>
      insertPaidOrder(system.database.db, system.encryptionKey, number, years, name),
    first: nextCompany,
  });
  nextCompany += count;
  const owed = orders.reduce((sum, order) => sum + order.cipcFeeCents, 0);
  system.portal.setBalance('SANDBOX1', (system.portal.balance('SANDBOX1') ?? 0) + owed);

  let peak: Memory = { rssKb: 0, pssKb: 0, chromiumProcesses: 0 };
  const sample = async () => {
    const each = await Promise.all(
      options.workerPids().map((pid) => sampleMemory(pid).catch(() => undefined)),
    );
    const sum = each.reduce<Memory>(
      (total, m) => ({
        rssKb: total.rssKb + (m?.rssKb ?? 0),
        pssKb: total.pssKb + (m?.pssKb ?? 0),
        chromiumProcesses: total.chromiumProcesses + (m?.chromiumProcesses ?? 0),
      }),
      { rssKb: 0, pssKb: 0, chromiumProcesses: 0 },
    );
    peak = {
      rssKb: Math.max(peak.rssKb, sum.rssKb),
      pssKb: Math.max(peak.pssKb, sum.pssKb),
      chromiumProcesses: Math.max(peak.chromiumProcesses, sum.chromiumProcesses),
    };
  };
  // One sample after the other (each runs `ps`): a timer would pile them up on a busy machine.
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sample();
      await sleep(500);
    }
  })();
  const startedAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((done) => {
    timer = setTimeout(() => done('timed out'), options.timeoutMs);
  });
  try {
    const results = await Promise.all(
      orders.map(async (order) => {
        const handle = await system.temporal.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
          taskQueue: FILING_TASK_QUEUE,
          workflowId: filingWorkflowId(order.orderId),
          args: [order],
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
        return Promise.race([handle.result() as Promise<FilingResult>, timedOut]);
      }),
    );
    const wallMs = performance.now() - startedAt;
    const wrong = orders.flatMap((order, i) => {
      const result = results[i];
      const problems =
        result === 'timed out' || result?.status !== 'filed'
          ? [`${order.registrationNumber}: ${typeof result === 'string' ? result : result?.status}`]
          : [];
      const filed = system.portal.filings(order.registrationNumber);
      for (const { year } of order.years) {
        const paid = filed.find((f) => f.year === year)?.paidCount ?? 0;
        if (paid !== 1) problems.push(`${order.registrationNumber} ${year} paid ${paid}×`);
      }
      return problems;
    });
    return { orders: count, wallMs, wrong, peak };
  } finally {
    clearTimeout(timer);
    sampling = false;
    await sampler;
  }
}
