import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { encryptionKeys } from '../../config/encryption-key.js';
import { encryptField } from '../../db/encrypt-field.js';
import { filings, orders } from '../../db/schema.js';
import { openBytes } from '../../db/seal-bytes.js';
import {
  FILE_ANNUAL_RETURNS_WORKFLOW,
  FILING_PROGRESS_QUERY,
  FILING_SIGNALS,
  type FilingProgress,
  type FilingResult,
  filingWorkflowId,
} from '../../flows/filing/file-annual-returns.js';
import type { PortalInterruption } from '../../sandbox/cipc-portal/screens/interruptions.js';
import { createFilingTestWorld, eventually, type FilingTestWorld } from '../testing/filing-test-world.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
const late = (year: number) => ({ year, turnoverBandId: 'company-under-1m', late: true, feeCents: 150_00 });

/** Each screen the filing path does not include, and how the person is told what it was. */
const SCREENS: [PortalInterruption, RegExp][] = [
  ['customerVerification', /customer verification page.*during login/],
  ['passwordReset', /password reset demand.*during login/],
  ['changedLayout', /a page it does not recognise.*during file annual returns/],
  ['ixbrlUpload', /iXBRL financial statements upload.*during beneficial ownership check/],
  ['cardPayment', /card payment page \(3-D Secure\).*during financial accountability supplement/],
];

describe('fileAnnualReturns hands every unknown portal screen to a person', {
  skip: !address && 'no TEST_TEMPORAL_ADDRESS',
}, () => {
  let world: FilingTestWorld;
  let clones = 0;

  before(async () => {
    world = await createFilingTestWorld();
    await world.startWorker();
  });
  after(() => world?.close());

  function acmeLike(name: string): string {
    clones += 1;
    const number = `2019/${String(300_000 + clones)}/07`;
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

  for (const [screen, described] of SCREENS) {
    it(`${screen}: stops before paying, keeps the screenshot and page, and the filing needs a person`, async () => {
      const number = acmeLike(`${screen.toUpperCase()} (PTY) LTD`);
      const balance = world.portal.balance('SANDBOX1');
      world.portal.interrupt(screen);
      try {
        const order = await world.paidOrder(number, [late(2025), late(2026)]);
        const handle = await world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
          taskQueue: world.taskQueue,
          workflowId: filingWorkflowId(order.orderId),
          args: [order],
        });
        const waiting = await eventually(async () =>
          (await world.eventsFor(`${filingWorkflowId(order.orderId)}:waitingForPerson`))
            .map((event) => event.milestone as { kind: string; reason: string })
            .at(0),
        );
        assert.match(waiting.reason, described);
        assert.match(waiting.reason, /before paying anything/);

        assert.equal(world.portal.balance('SANDBOX1'), balance, 'nothing was paid');
        assert.deepEqual(
          world.portal.filings(number).filter((f) => f.year >= 2025),
          [],
        );
        const progress = await handle.query<FilingProgress>(FILING_PROGRESS_QUERY);
        assert.equal(progress.status, 'waiting_for_person');
        const [filing] = await world.db.select().from(filings).where(eq(filings.orderId, order.orderId));
        assert.equal(filing?.status, 'waiting_for_person');
        const [row] = await world.db.select().from(orders).where(eq(orders.id, order.orderId));
        assert.equal(row?.status, 'needs_agent');
        const alert = await eventually(async () => world.alerts.find((a) => a.orderId === order.orderId));
        assert.match(alert.reason, described);

        const dir = join(world.dataDir, 'audit', order.orderId);
        const files = await readdir(dir);
        assert.ok(
          files.some((f) => /-unknown-screen-.*\.png\.sealed$/.test(f)),
          files.join(', '),
        );
        const html = files.find((f) => /^unknown-screen-.*\.html\.sealed$/.test(f));
        assert.ok(html, files.join(', '));
        const page = openBytes(await readFile(join(dir, html)), encryptionKeys(world.config)).toString();
        assert.match(page, /<html/);
        await handle.terminate('test over');
      } finally {
        world.portal.interrupt(undefined);
      }
    });
  }

  it('cardPayment: once a person has dealt with the gateway, retryNow resumes and pays exactly once', async () => {
    const number = acmeLike('CARD THEN RETRY (PTY) LTD');
    const balance = world.portal.balance('SANDBOX1') ?? 0;
    world.portal.interrupt('cardPayment');
    const order = await world.paidOrder(number, [late(2025), late(2026)]);
    const handle = await world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: filingWorkflowId(order.orderId),
      args: [order],
    });
    try {
      await eventually(async () =>
        (await world.eventsFor(`${filingWorkflowId(order.orderId)}:waitingForPerson`)).at(0),
      );
    } finally {
      world.portal.interrupt(undefined);
    }
    await handle.signal(FILING_SIGNALS.retryNow);
    const result: FilingResult = await handle.result();
    assert.equal(result.status, 'filed');
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
    assert.equal(world.portal.balance('SANDBOX1'), balance - 300_00);
    const kinds = (await world.eventsFor(`${filingWorkflowId(order.orderId)}:`)).map(
      (event) => (event.milestone as { kind: string }).kind,
    );
    assert.ok(kinds.includes('resumed'), kinds.join(', '));
  });

  it('routes audited statements to a person before the supplement, paying nothing', async () => {
    const number = acmeLike('AUDITED (PTY) LTD');
    const balance = world.portal.balance('SANDBOX1');
    const order = await world.paidOrder(number, [late(2025), late(2026)]);
    const fas = {
      recordsKeeper: { name: 'Jane Dube', idNumber: '8001015009087' },
      preparer: { name: 'Dube Auditors Inc', idNumber: 'IRBA 123456' },
      assurance: 'Audited',
    };
    const [key] = encryptionKeys(world.config);
    await world.db
      .update(orders)
      .set({ fasEncrypted: encryptField(JSON.stringify(fas), key as Buffer) })
      .where(eq(orders.id, order.orderId));
    const handle = await world.client.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
      taskQueue: world.taskQueue,
      workflowId: filingWorkflowId(order.orderId),
      args: [order],
    });
    const waiting = await eventually(async () =>
      (await world.eventsFor(`${filingWorkflowId(order.orderId)}:waitingForPerson`))
        .map((event) => event.milestone as { kind: string; reason: string })
        .at(0),
    );
    assert.match(waiting.reason, /audited.*iXBRL/);
    assert.equal(world.portal.balance('SANDBOX1'), balance);
    assert.deepEqual(
      world.portal.filings(number).filter((f) => f.year >= 2025),
      [],
    );
    await handle.terminate('test over');
  });
});
