import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import {
  FILE_ANNUAL_RETURNS_WORKFLOW,
  FILING_PROGRESS_QUERY,
  FILING_SIGNALS,
  type FilingProgress,
  type FilingResult,
  filingWorkflowId,
  type OrderToFile,
} from '../../flows/filing/file-annual-returns.js';
import type { RunningFilingWorker } from '../start-filing-worker.js';
import { createFilingTestWorld, eventually, type FilingTestWorld } from '../testing/filing-test-world.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
const late = (year: number) => ({ year, turnoverBandId: 'company-under-1m', late: true, feeCents: 150_00 });

describe('fileAnnualReturns through portal faults and a worker crash', {
  skip: !address && 'no TEST_TEMPORAL_ADDRESS',
}, () => {
  let world: FilingTestWorld;
  let worker: RunningFilingWorker;
  let clones = 0;

  before(async () => {
    world = await createFilingTestWorld();
    worker = await world.startWorker();
  });
  after(() => world?.close());

  function acmeLike(name: string): string {
    clones += 1;
    const number = `2019/${String(200_000 + clones)}/07`;
    world.portal.upsertEnterprise({
      number,
      name,
      incorporated: '2019-03-14',
      status: 'In Business',
      filedYears: [2020, 2021, 2022, 2023, 2024],
      boDeclarationYears: [2023, 2024, 2025, 2026],
    });
    return number;
  }

  async function fileOrder(name: string) {
    const number = acmeLike(name);
    const order = await world.paidOrder(number, [late(2025), late(2026)]);
    const handle = await world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: filingWorkflowId(order.orderId),
      args: [order],
    });
    return { number, order, handle };
  }

  const loggedIn = (order: OrderToFile) =>
    eventually(async () =>
      (await world.eventsFor(`${filingWorkflowId(order.orderId)}:loggedIn`)).length > 0 ? true : undefined,
    );

  function assertPaidOnce(number: string) {
    assert.deepEqual(
      world.portal
        .filings(number)
        .filter((f) => f.year >= 2025)
        .map((f) => [f.year, f.paidCount]),
      [
        [2025, 1],
        [2026, 1],
      ],
    );
  }

  it('rides out a burst of 500 errors', async () => {
    const { number, order, handle } = await fileOrder('SERVER ERRORS (PTY) LTD');
    await loggedIn(order);
    world.portal.setFaults({ serverErrorRate: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    world.portal.resetFaults();
    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'filed');
    assertPaidOnce(number);
  });

  it('logs in again when the session expires mid-flow', async () => {
    world.portal.setFaults({ latencyMs: 50 });
    try {
      const tasksBefore = world.twoCaptcha.counters().tasksCreated;
      const { number, order, handle } = await fileOrder('SHORT SESSION (PTY) LTD');
      await loggedIn(order);
      world.portal.expireSessions();
      const result: FilingResult = await handle.result();
      assert.equal(result.status, 'filed');
      assertPaidOnce(number);
      assert.equal(world.twoCaptcha.counters().tasksCreated - tasksBefore, 2, 'a second login');
    } finally {
      world.portal.resetFaults();
    }
  });

  it('waits out a maintenance window, then completes', async () => {
    const { number, order, handle } = await fileOrder('MAINTENANCE (PTY) LTD');
    await loggedIn(order);
    world.portal.setMaintenance(true, 2_500);
    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'filed');
    assertPaidOnce(number);
  });

  it('finishes on a new worker after the first died between payment and confirmation, paying once', async () => {
    // The portal pays every year in one payment, so the nearest honest "after the first year is paid" is
    // after the payment is committed and before its confirmation page arrives.
    world.portal.setFaults({ confirmationDelayMs: 10_000 });
    const balance = world.portal.balance('SANDBOX1') ?? 0;
    const { number, handle } = await fileOrder('CRASH TEST (PTY) LTD');
    await eventually(async () => world.portal.filings(number).some((f) => f.year === 2026));
    await worker.stop();
    world.portal.resetFaults();
    worker = await world.startWorker();

    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'filed');
    assert.equal(result.arReferences.length, 2);
    assertPaidOnce(number);
    assert.equal(world.portal.balance('SANDBOX1'), balance - 300_00);
  });
  it('logs in with a person’s reading of the security code on another worker while 2Captcha is down', async () => {
    world.twoCaptcha.setFaults({ zeroBalance: true });
    try {
      const { number, handle } = await fileOrder('TYPED CAPTCHA (PTY) LTD');
      const waiting = await eventually(async () => {
        const progress = await handle.query<FilingProgress>(FILING_PROGRESS_QUERY);
        return progress.status === 'waiting_for_person' && progress.captchaImagePath ? progress : undefined;
      });
      // What the person reads off the image the agent console shows them.
      const text = world.portal.captchaAnswerFor(await readFile(waiting.captchaImagePath as string));
      assert.ok(text, 'the image is the one the portal served');

      // The browser that showed the code is gone with its worker; a new worker has never seen it.
      await worker.stop();
      worker = await world.startWorker();
      const tasksBefore = world.twoCaptcha.counters().tasksCreated;
      await handle.signal(FILING_SIGNALS.captchaAnswer, { text });
      const result: FilingResult = await handle.result();

      assert.equal(result.status, 'filed');
      assertPaidOnce(number);
      assert.equal(
        world.twoCaptcha.counters().tasksCreated,
        tasksBefore,
        '2Captcha (still down) was not asked',
      );
    } finally {
      world.twoCaptcha.setFaults({ zeroBalance: false });
    }
  });

  it('restarts Chromium after N browser contexts, files across the restart, and never holds more contexts than its concurrency', async () => {
    await worker.stop();
    worker = await world.startWorker({ browserRestartAfter: 2 });
    const filings = await Promise.all([1, 2, 3].map((i) => fileOrder(`RESTART ${i} (PTY) LTD`)));
    const results: FilingResult[] = await Promise.all(filings.map(({ handle }) => handle.result()));

    for (const [i, { number }] of filings.entries()) {
      assert.equal(results[i]?.status, 'filed');
      assertPaidOnce(number);
    }
    const stats = worker.browserStats();
    assert.ok(stats.browsersLaunched >= 2, `Chromium launched ${stats.browsersLaunched} times`);
    assert.ok(
      stats.peakContextsOpen <= world.config.filingConcurrency,
      `${stats.peakContextsOpen} contexts open`,
    );
    assert.equal(stats.contextsOpen, 0, 'every visit closed its context');
  });
});
