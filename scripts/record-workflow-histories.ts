/**
 * Records the histories `filing-worker/workflows/replay-histories.test.ts` replays: runs the real
 * `lookupEnterprise` and `fileAnnualReturns` workflows once against the portal and 2Captcha sandboxes (a
 * filing that completes, one that waits for a person, lookups that find, do not find and fail) and writes each
 * history to `filing-worker/workflows/histories/<name>.json`.
 *
 * Re-record only to add a history of code that is running in production: a recorded history stands for
 * workflows in flight at a deploy, and today's code must still replay every one of them.
 *
 *   npx tsx scripts/record-workflow-histories.ts [name ...]
 *
 * With names, only those histories are recorded: the others stay as the code that made them left them.
 *
 * Uses TEMPORAL_ADDRESS when set, else starts a dev server (either way it needs the temporal CLI); the
 * database is TEST_DATABASE_URL or PGlite.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { contacts, conversations, filings } from '../db/schema.js';
import { createFilingTestWorld, eventually } from '../filing-worker/testing/filing-test-world.js';
import {
  FILE_ANNUAL_RETURNS_WORKFLOW,
  FILING_SIGNALS,
  filingWorkflowId,
} from '../flows/filing/file-annual-returns.js';
import { LOOKUP_ENTERPRISE_WORKFLOW, lookupWorkflowId } from '../flows/filing/lookup-enterprise.js';
import { freePort } from './free-port.js';
import { findTemporalCli, startTemporalDevServer } from './temporal-dev-server.js';

const HISTORIES = new URL('../filing-worker/workflows/histories/', import.meta.url);
const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

const cli = findTemporalCli();
if (!cli) throw new Error('the Temporal CLI was not found (TEMPORAL_CLI, .tools/venv/bin/temporal, PATH)');
const devServer = process.env.TEMPORAL_ADDRESS
  ? undefined
  : await startTemporalDevServer(cli, { port: await freePort() });
const address = process.env.TEMPORAL_ADDRESS ?? (devServer?.address as string);
process.env.TEST_TEMPORAL_ADDRESS = address;

const world = await createFilingTestWorld();
try {
  await world.startWorker();

  // The CLI writes the JSON every Temporal SDK's replayer reads (the SDK's own historyToJSON needs the
  // protobuf classes of the same copy of protobufjs, which npm does not guarantee).
  async function save(name: string, workflowId: string): Promise<void> {
    const args = ['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', address];
    const { stdout } = await promisify(execFile)(cli as string, args, { maxBuffer: 64 * 1024 * 1024 });
    const history = JSON.parse(stdout) as { events: unknown[] };
    await writeFile(new URL(`${name}.json`, HISTORIES), `${JSON.stringify(history, null, 2)}\n`);
    console.log(`recorded ${name} (${history.events.length} events)`);
  }

  const [contact] = await world.db.insert(contacts).values({ phone: '+27820000009' }).returning();
  const [conversation] = await world.db
    .insert(conversations)
    .values({ contactId: contact?.id as string, machineVersion: 1 })
    .returning();
  for (const [name, registrationNumber, maintenance] of [
    ['lookup-found', '2019/123456/07', false],
    ['lookup-not-found', '2099/999999/07', false],
    ['lookup-failed', '2020/654321/07', true],
  ] as const) {
    if (!wanted(name)) continue;
    world.portal.setMaintenance(maintenance);
    const workflowId = lookupWorkflowId(conversation?.id as string, registrationNumber, randomUUID());
    await world.client.workflow.execute(LOOKUP_ENTERPRISE_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId,
      args: [{ registrationNumber, conversationId: conversation?.id as string }],
    });
    await save(name, workflowId);
  }
  world.portal.setMaintenance(false);

  const late = (year: number) => ({ year, turnoverBandId: 'company-under-1m', late: true, feeCents: 150_00 });
  if (wanted('file-annual-returns-completed')) {
    const filed = await world.paidOrder('2019/123456/07', [late(2025), late(2026)], 'ACME TRADING (PTY) LTD');
    await world.client.workflow.execute(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: filingWorkflowId(filed.orderId),
      args: [filed],
    });
    await save('file-annual-returns-completed', filingWorkflowId(filed.orderId));
  }

  /** A fresh ACME-like company with 2025 and 2026 outstanding, its filing started. */
  async function startFiling(number: string, name: string, boDeclarationYears: number[]) {
    world.portal.upsertEnterprise({
      number,
      name,
      incorporated: '2019-03-14',
      status: 'In Business',
      filedYears: [2020, 2021, 2022, 2023, 2024],
      boDeclarationYears,
    });
    const order = await world.paidOrder(number, [late(2025), late(2026)], name);
    return world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: filingWorkflowId(order.orderId),
      args: [order],
    });
  }
  const waitsForPerson = (workflowId: string) =>
    eventually(async () =>
      (await world.eventsFor(`${workflowId}:`)).some(
        (event) => (event.milestone as { kind: string }).kind === 'waitingForPerson',
      ),
    );

  // 2Captcha is down: a person reads the security code the worker kept and types it (agent console).
  if (wanted('file-annual-returns-captcha-typed')) {
    world.twoCaptcha.setFaults({ zeroBalance: true });
    const handle = await startFiling('2019/100002/07', 'TYPED CODE (PTY) LTD', [2023, 2024, 2025, 2026]);
    await waitsForPerson(handle.workflowId);
    const [filing] = await world.db.select().from(filings).where(eq(filings.workflowId, handle.workflowId));
    const text = world.portal.captchaAnswerFor(Buffer.from(filing?.captchaPngBase64 ?? '', 'base64'));
    await handle.signal(FILING_SIGNALS.captchaAnswer, { text });
    await handle.result();
    world.twoCaptcha.setFaults({ zeroBalance: false });
    await save('file-annual-returns-captcha-typed', handle.workflowId);
  }

  // No BO declaration: a person files at CIPC by hand, or cancels and refunds.
  if (wanted('file-annual-returns-filed-by-hand')) {
    const handle = await startFiling('2019/100003/07', 'FILED BY HAND (PTY) LTD', [2023]);
    await waitsForPerson(handle.workflowId);
    await handle.signal(FILING_SIGNALS.markFiledManually, {
      arReferences: ['AR20250000901', 'AR20260000902'],
      by: 'agent',
    });
    await handle.result();
    await save('file-annual-returns-filed-by-hand', handle.workflowId);
  }
  if (wanted('file-annual-returns-cancelled')) {
    const handle = await startFiling('2019/100004/07', 'CANCELLED (PTY) LTD', [2023]);
    await waitsForPerson(handle.workflowId);
    await handle.signal(FILING_SIGNALS.cancel, {
      reason: 'cancelled in the agent console',
      by: 'agent',
      refundNote: 'R499 refunded to your card.',
    });
    await handle.result();
    await save('file-annual-returns-cancelled', handle.workflowId);
  }

  if (wanted('file-annual-returns-waited-for-person')) {
    // Too little balance: the filing waits for a person, who tops it up and signals.
    world.portal.upsertEnterprise({
      number: '2019/100001/07',
      name: 'LOW BALANCE (PTY) LTD',
      incorporated: '2019-03-14',
      status: 'In Business',
      filedYears: [2020, 2021, 2022, 2023, 2024],
      boDeclarationYears: [2023, 2024, 2025, 2026],
    });
    const balance = world.portal.balance('SANDBOX1') ?? 0;
    world.portal.setBalance('SANDBOX1', 100_00);
    const waited = await world.paidOrder('2019/100001/07', [late(2025), late(2026)], 'LOW BALANCE (PTY) LTD');
    const handle = await world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: filingWorkflowId(waited.orderId),
      args: [waited],
    });
    await eventually(async () =>
      (await world.eventsFor(`${handle.workflowId}:`)).some(
        (event) => (event.milestone as { kind: string }).kind === 'delayed',
      ),
    );
    world.portal.setBalance('SANDBOX1', balance);
    await handle.signal(FILING_SIGNALS.balanceToppedUp);
    await handle.result();
    await save('file-annual-returns-waited-for-person', handle.workflowId);
  }
} finally {
  await world.close();
  await devServer?.stop();
}
