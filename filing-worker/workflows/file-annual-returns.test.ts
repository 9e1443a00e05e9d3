import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { filings, orders } from '../../db/schema.js';
import {
  FILE_ANNUAL_RETURNS_WORKFLOW,
  FILING_PROGRESS_QUERY,
  FILING_SIGNALS,
  type FilingProgress,
  type FilingResult,
  filingWorkflowId,
  type OrderToFile,
} from '../../flows/filing/file-annual-returns.js';
import { createFilingTestWorld, eventually, type FilingTestWorld } from '../testing/filing-test-world.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
const ACME = '2019/123456/07';
const KAROO = '2008/765432/23';
const late = (year: number, feeCents: number, turnoverBandId = 'company-under-1m') => ({
  year,
  turnoverBandId,
  late: true,
  feeCents,
});

describe('fileAnnualReturns against the portal and 2Captcha sandboxes', {
  skip: !address && 'no TEST_TEMPORAL_ADDRESS',
}, () => {
  let world: FilingTestWorld;
  let clones = 0;

  before(async () => {
    world = await createFilingTestWorld();
    await world.startWorker();
  });
  after(() => world?.close());

  /** A fresh private company like ACME (incorporated 2019-03-14, BO declared yearly, filed up to `filedUpTo`). */
  function acmeLike(name: string, filedUpTo = 2024): string {
    clones += 1;
    const number = `2019/${String(100_000 + clones)}/07`;
    world.portal.upsertEnterprise({
      number,
      name,
      incorporated: '2019-03-14',
      status: 'In Business',
      filedYears: Array.from({ length: filedUpTo - 2019 }, (_, i) => 2020 + i),
      boDeclarationYears: [2023, 2024, 2025, 2026],
    });
    return number;
  }

  function start(order: OrderToFile) {
    return world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: filingWorkflowId(order.orderId),
      args: [order],
    });
  }

  async function milestones(order: OrderToFile) {
    const stored = await world.eventsFor(`${filingWorkflowId(order.orderId)}:`);
    return stored.map((event) => event.milestone as { kind: string } & Record<string, unknown>);
  }

  async function milestoneOf(order: OrderToFile, kind: string) {
    return eventually(async () => (await milestones(order)).find((m) => m.kind === kind));
  }

  const paidCounts = (number: string, from: number) =>
    world.portal
      .filings(number)
      .filter((f) => f.year >= from)
      .map((f) => [f.year, f.paidCount]);

  it('files ACME TRADING’s two late years, pays R300 once and keeps the certificate', async () => {
    const balance = world.portal.balance('SANDBOX1') ?? 0;
    const order = await world.paidOrder(
      ACME,
      [late(2025, 150_00), late(2026, 150_00)],
      'ACME TRADING (PTY) LTD',
    );
    const handle = await start(order);
    const result: FilingResult = await handle.result();

    assert.equal(result.status, 'filed');
    assert.equal(result.arReferences.length, 2);
    assert.equal(result.certificateUrl, `https://service.test/files/certificates/${order.orderId}.pdf`);
    assert.deepEqual(paidCounts(ACME, 2025), [
      [2025, 1],
      [2026, 1],
    ]);
    assert.equal(world.portal.balance('SANDBOX1'), balance - 300_00);
    assert.deepEqual(world.portal.outstandingYears(ACME), []);
    const onPortal = world.portal.filings(ACME).filter((f) => f.year >= 2025);
    assert.deepEqual(
      onPortal.map((f) => f.reference),
      result.arReferences,
    );
    assert.equal(onPortal[0]?.fas?.recordsKeeperName, 'Jane Dube');
    assert.equal(onPortal[0]?.turnoverCents, 500_000_00);

    const kinds = (await milestones(order)).map((m) => m.kind);
    assert.deepEqual(kinds, ['started', 'loggedIn', 'yearSubmitted', 'yearSubmitted', 'completed']);
    const completed = (await milestones(order)).at(-1);
    assert.deepEqual(completed?.arReferences, result.arReferences);
    assert.equal(completed?.certificateUrl, result.certificateUrl);
    assert.match(String(completed?.certificateFilename), /^AR-Certificate-AR2026\d{7}\.pdf$/);

    const [filing] = await world.db.select().from(filings).where(eq(filings.orderId, order.orderId));
    assert.equal(filing?.status, 'filed');
    assert.deepEqual(filing?.arReferences, result.arReferences);
    assert.equal(filing?.certificatePath, join(world.dataDir, 'certificates', `${order.orderId}.pdf`));
    assert.deepEqual(
      filing?.milestones.map((m) => m.milestone),
      kinds,
    );
    const pdf = await readFile(filing?.certificatePath as string);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.equal((await stat(filing?.certificatePath as string)).mode & 0o777, 0o600);
    const [row] = await world.db.select().from(orders).where(eq(orders.id, order.orderId));
    assert.equal(row?.status, 'filed');

    const progress = await handle.query<FilingProgress>(FILING_PROGRESS_QUERY);
    assert.equal(progress.status, 'filed');
    assert.deepEqual(progress.yearsToFile, [2025, 2026]);
  });

  it('leaves an audit trail: screenshots per step and a trace, readable only by the worker', async () => {
    const { readdir } = await import('node:fs/promises');
    const [orderDir] = await readdir(join(world.dataDir, 'audit'));
    const files = await readdir(join(world.dataDir, 'audit', orderDir as string));
    assert.ok(files.some((f) => f.endsWith('-logged-in.png.sealed')));
    assert.ok(files.some((f) => f.endsWith('-paid.png.sealed')));
    assert.ok(files.some((f) => /^trace-.*\.zip\.sealed$/.test(f)));
    for (const file of files) {
      assert.equal((await stat(join(world.dataDir, 'audit', orderDir as string, file))).mode & 0o777, 0o600);
    }
  });

  it('files KAROO CRAFTS CC’s late 2026 return for R250', async () => {
    const order = await world.paidOrder(KAROO, [late(2026, 250_00, 'cc-under-50m')], 'KAROO CRAFTS CC');
    const result: FilingResult = await (await start(order)).result();
    assert.equal(result.status, 'filed');
    assert.match(result.arReferences[0] ?? '', /^AR2026\d{7}$/);
    assert.deepEqual(
      world.portal
        .filings(KAROO)
        .filter((f) => f.year === 2026)
        .map((f) => [f.feeCents, f.paidCount]),
      [[250_00, 1]],
    );
  });

  it('skips a year the portal already shows filed and files only the rest', async () => {
    const number = acmeLike('HALF DONE (PTY) LTD', 2025);
    const order = await world.paidOrder(number, [late(2025, 150_00), late(2026, 150_00)]);
    const handle = await start(order);
    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'filed');
    assert.equal(result.arReferences.length, 1);
    assert.deepEqual(paidCounts(number, 2025), [
      [2025, 1],
      [2026, 1],
    ]);
    assert.equal(world.portal.filings(number).find((f) => f.year === 2025)?.customerCode, undefined);
    const progress = await handle.query<FilingProgress>(FILING_PROGRESS_QUERY);
    assert.deepEqual(progress.skippedYears, [2025]);
    const submitted = (await milestones(order)).filter((m) => m.kind === 'yearSubmitted');
    assert.deepEqual(
      submitted.map((m) => m.year),
      [2026],
    );
  });

  it('never pays without a BO declaration: waits for a person and says why', async () => {
    const number = '2016/222222/07';
    const order = await world.paidOrder(number, [late(2026, 150_00)]);
    const handle = await start(order);
    const waiting = await milestoneOf(order, 'waitingForPerson');
    assert.match(String(waiting.reason), /beneficial ownership.*2026/);
    assert.deepEqual(paidCounts(number, 2026), []);
    await eventually(async () =>
      world.alerts.some((a) => a.orderId === order.orderId && /beneficial ownership/.test(a.reason)),
    );
    await handle.signal(FILING_SIGNALS.cancel, { reason: 'customer will file BO first', by: 'agent@test' });
    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'cancelled');
    const [filing] = await world.db.select().from(filings).where(eq(filings.orderId, order.orderId));
    assert.equal(filing?.status, 'cancelled');
    // The owner hears of a cancellation (not of a failure), and no team-only reason reaches them.
    assert.deepEqual((await milestones(order)).at(-1), { kind: 'cancelled' });
  });

  it('never pays for a deregistered company: fails with the reason', async () => {
    const order = await world.paidOrder('2012/333333/07', [late(2018, 150_00)]);
    const result: FilingResult = await (await start(order)).result();
    assert.equal(result.status, 'failed');
    assert.match(result.reason ?? '', /deregistered/);
    const failed = await milestoneOf(order, 'failed');
    assert.match(String(failed.reason), /deregistered/);
    assert.deepEqual(
      world.portal.filings('2012/333333/07').filter((f) => f.year > 2017),
      [],
    );
  });

  it('logs in after two wrong captcha readings, reporting each as incorrect', async () => {
    const number = acmeLike('CAPTCHA TRIALS (PTY) LTD');
    const before = world.twoCaptcha.counters();
    world.twoCaptcha.setFaults({ wrongAnswers: 2 });
    const order = await world.paidOrder(number, [late(2025, 150_00), late(2026, 150_00)]);
    const result: FilingResult = await (await start(order)).result();
    assert.equal(result.status, 'filed');
    const counters = world.twoCaptcha.counters();
    assert.equal(counters.reportsIncorrect - before.reportsIncorrect, 2);
    assert.equal(counters.tasksCreated - before.tasksCreated, 3);
    const images = world.twoCaptcha.tasks().slice(-3);
    for (const task of images) assert.ok(world.portal.captchaAnswerFor(task.image), 'the exact bytes served');
  });

  it('pauses and alerts on ERROR_ZERO_BALANCE, then continues when a person retries', async () => {
    const number = acmeLike('ZERO BALANCE (PTY) LTD');
    world.twoCaptcha.setFaults({ zeroBalance: true });
    const order = await world.paidOrder(number, [late(2025, 150_00), late(2026, 150_00)]);
    const handle = await start(order);
    const waiting = await milestoneOf(order, 'waitingForPerson');
    assert.match(String(waiting.reason), /ERROR_ZERO_BALANCE/);
    await eventually(async () =>
      world.alerts.some((a) => a.orderId === order.orderId && /ERROR_ZERO_BALANCE/.test(a.reason)),
    );
    const progress = await handle.query<FilingProgress>(FILING_PROGRESS_QUERY);
    assert.equal(progress.status, 'waiting_for_person');
    assert.match(progress.captchaImagePath ?? '', /captcha-latest\.png$/);
    assert.deepEqual(paidCounts(number, 2025), []);

    world.twoCaptcha.setFaults({ zeroBalance: false });
    await handle.signal(FILING_SIGNALS.retryNow);
    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'filed');
  });

  it('pauses for a person when the portal’s fee differs from the quote, pays nothing, and accepts a manual filing', async () => {
    const number = acmeLike('FEE DRIFT (PTY) LTD');
    world.portal.setFaults({ feeDriftCents: 5_00 });
    try {
      const order = await world.paidOrder(number, [late(2025, 150_00), late(2026, 150_00)]);
      const handle = await start(order);
      const waiting = await milestoneOf(order, 'waitingForPerson');
      assert.match(String(waiting.reason), /R310\.00.*R300\.00/);
      assert.deepEqual(paidCounts(number, 2025), []);
      await handle.signal(FILING_SIGNALS.markFiledManually, {
        arReferences: ['AR20250000001', 'AR20260000002'],
        by: 'agent@test',
      });
      const result: FilingResult = await handle.result();
      assert.equal(result.status, 'filed');
      assert.deepEqual(result.arReferences, ['AR20250000001', 'AR20260000002']);
      const [filing] = await world.db.select().from(filings).where(eq(filings.orderId, order.orderId));
      assert.equal(filing?.status, 'filed');
      assert.deepEqual(filing?.arReferences, result.arReferences);
      assert.deepEqual((await milestones(order)).at(-1), {
        kind: 'filedByHand',
        arReferences: ['AR20250000001', 'AR20260000002'],
      });
    } finally {
      world.portal.resetFaults();
    }
  });

  it('waits on too little balance, tells the customer it is delayed, and pays once topped up', async () => {
    const number = acmeLike('LOW BALANCE (PTY) LTD');
    const balance = world.portal.balance('SANDBOX1') ?? 0;
    world.portal.setBalance('SANDBOX1', 100_00);
    const order = await world.paidOrder(number, [late(2025, 150_00), late(2026, 150_00)]);
    const handle = await start(order);
    const delayed = await milestoneOf(order, 'delayed');
    assert.match(String(delayed.reason), /balance/);
    await eventually(async () => world.alerts.some((a) => a.orderId === order.orderId));
    assert.deepEqual(paidCounts(number, 2025), []);

    world.portal.setBalance('SANDBOX1', balance);
    await handle.signal(FILING_SIGNALS.balanceToppedUp);
    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'filed');
    assert.deepEqual(paidCounts(number, 2025), [
      [2025, 1],
      [2026, 1],
    ]);
    const kinds = (await milestones(order)).map((m) => m.kind);
    assert.equal(kinds.filter((k) => k === 'delayed').length, 1);
    // "Logged in" reached the chat from the first visit, before it stopped short of paying.
    assert.deepEqual(kinds.slice(0, 4), ['started', 'loggedIn', 'delayed', 'resumed']);
    assert.deepEqual((await milestones(order))[3], { kind: 'resumed', by: 'balanceToppedUp' });
  });
});
