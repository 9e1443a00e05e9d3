import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { auditLog, conversations, filingActions, filings, orders, outbox } from '../../../db/schema.js';
import { FILING_SIGNALS, filingWorkflowId } from '../../../flows/filing/file-annual-returns.js';
import { type LoggedInAgent, logInAgent } from '../../agent/testing/log-in-agent.js';
import { buildTestApp } from '../../testing/build-test-app.js';
import { seedUnpaidOrder } from '../pay/testing/seed-unpaid-order.js';

/** A 1×1 PNG: what the worker keeps when 2Captcha cannot read the login's security code. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const STARTED = { at: '2026-11-21T08:00:00.000Z', milestone: 'started' };
const waitingFor = (reason: string, milestone = 'waitingForPerson') => ({
  at: '2026-11-21T08:01:00.000Z',
  milestone,
  detail: { reason },
});

/** The API's contract without a worker: Temporal points nowhere, so the signals stay in the outbox. */
describe('POST /api/v1/agent/filings/:id/actions and GET /api/v1/agent/filings/:id', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: LoggedInAgent;
  before(async () => {
    t = await buildTestApp();
    agent = await logInAgent(t.app, t.database.db, { name: 'Thandi Dlamini' });
  });
  after(() => t.close());

  async function seedFiling(values: Partial<typeof filings.$inferInsert>) {
    const order = await seedUnpaidOrder(t.database.db, { status: 'needs_agent' });
    const [filing] = await t.database.db
      .insert(filings)
      .values({ orderId: order.id, workflowId: filingWorkflowId(order.id), ...values })
      .returning();
    return filing as typeof filings.$inferSelect;
  }
  const waitingOnCaptcha = () =>
    seedFiling({
      status: 'waiting_for_person',
      milestones: [STARTED, waitingFor('filing at the portal failed: ERROR_ZERO_BALANCE')],
      captchaPngBase64: PNG.toString('base64'),
    });
  const act = (id: string, payload: unknown, who: LoggedInAgent | null = agent) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/agent/filings/${id}/actions`,
      payload: payload as Record<string, unknown>,
      ...(who && { headers: who.headers }),
    });
  const signalsFor = (workflowId: string) =>
    t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, 'temporal.signal'), eq(outbox.status, 'pending')))
      .then((rows) =>
        rows
          .map((row) => row.payload as { workflowId: string; signal: string; args: unknown[] })
          .filter((payload) => payload.workflowId === workflowId)
          .map(({ signal, args }) => ({ signal, args })),
      );

  const flagOf = async (filing: typeof filings.$inferSelect) => {
    const [row] = await t.database.db
      .select({ needsAgent: conversations.needsAgent })
      .from(orders)
      .innerJoin(conversations, eq(conversations.id, orders.conversationId))
      .where(eq(orders.id, filing.orderId));
    return row?.needsAgent;
  };
  const flag = async (filing: typeof filings.$inferSelect, needsAgent: string) => {
    const [order] = await t.database.db.select().from(orders).where(eq(orders.id, filing.orderId));
    await t.database.db
      .update(conversations)
      .set({ needsAgent })
      .where(eq(conversations.id, order?.conversationId as string));
  };

  it('answers a captcha wait: one signal queued, the answer kept, audited, the image and the flag gone', async () => {
    const filing = await waitingOnCaptcha();
    await flag(filing, 'filing at the portal failed: ERROR_ZERO_BALANCE');
    const captcha = await t.app.inject({
      method: 'GET',
      url: `/api/v1/agent/filings/${filing.id}/captcha`,
      headers: { cookie: agent.cookie },
    });
    assert.equal(captcha.statusCode, 200);
    assert.equal(captcha.headers['content-type'], 'image/png');
    assert.equal(captcha.headers['cache-control'], 'no-store');
    assert.deepEqual(captcha.rawPayload, PNG);

    const view = await t.app.inject({
      method: 'GET',
      url: `/api/v1/agent/filings/${filing.id}`,
      headers: { cookie: agent.cookie },
    });
    assert.equal(view.statusCode, 200, view.body);
    assert.deepEqual(view.json().needs, {
      waiting: true,
      wait: 1,
      since: '2026-11-21T08:01:00.000Z',
      reason: 'filing at the portal failed: ERROR_ZERO_BALANCE',
      captcha: true,
      actions: ['retry', 'captcha', 'markFiled', 'cancel'],
    });
    assert.equal(view.json().progress, null, 'no worker answers the query here');

    const response = await act(filing.id, { action: 'captcha', text: 'Xy7Kp' });
    assert.equal(response.statusCode, 202, response.body);
    assert.deepEqual(await signalsFor(filing.workflowId), [
      { signal: FILING_SIGNALS.captchaAnswer, args: [{ text: 'Xy7Kp' }] },
    ]);
    const [answer] = await t.database.db
      .select()
      .from(filingActions)
      .where(eq(filingActions.filingId, filing.id));
    assert.deepEqual([answer?.action, answer?.wait, answer?.agentId], ['captcha', 1, agent.agentId]);
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, `filing:${filing.id}`));
    assert.deepEqual(
      audits.map((a) => [a.actor, a.action]),
      [[agent.agentId, 'filing.captcha_answered']],
    );
    const gone = await t.app.inject({
      method: 'GET',
      url: `/api/v1/agent/filings/${filing.id}/captcha`,
      headers: { cookie: agent.cookie },
    });
    assert.equal(gone.statusCode, 404, 'an answered code is not shown again');
    assert.equal(await flagOf(filing), null, 'the conversation no longer waits for a person');
  });

  it('lets one answer through per wait: a second agent is told who answered', async () => {
    const filing = await waitingOnCaptcha();
    const other = await logInAgent(t.app, t.database.db, { name: 'Sipho Nkosi' });
    const answers = await Promise.all([
      act(filing.id, { action: 'retry' }),
      act(filing.id, { action: 'cancel', refundNote: 'R499 refunded to your card today' }, other),
    ]);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [202, 409]);
    const refused = answers.find((r) => r.statusCode === 409);
    assert.match(refused?.json().message, /(Thandi Dlamini|Sipho Nkosi) already answered this wait/);
    assert.equal((await signalsFor(filing.workflowId)).length, 1);
  });

  it('marks filed with the AR references and cancels with the refund note, as the workflow signals say', async () => {
    const toFile = await seedFiling({
      status: 'waiting_for_person',
      milestones: [STARTED, waitingFor('the portal also lists 2024 as outstanding')],
    });
    const filed = await act(toFile.id, {
      action: 'markFiled',
      arReference: 'AR20250000123, AR20260000124',
      note: 'filed at the CIPC office',
    });
    assert.equal(filed.statusCode, 202, filed.body);
    assert.deepEqual(await signalsFor(toFile.workflowId), [
      {
        signal: FILING_SIGNALS.markFiledManually,
        args: [{ arReferences: ['AR20250000123', 'AR20260000124'], by: agent.agentId }],
      },
    ]);

    const toCancel = await seedFiling({
      status: 'waiting_for_person',
      milestones: [STARTED, waitingFor('the CIPC prepaid balance is too low', 'delayed')],
    });
    await flag(toCancel, 'the owner asked for a person');
    const cancelled = await act(toCancel.id, { action: 'cancel', refundNote: 'R499 refunded to your card' });
    assert.equal(cancelled.statusCode, 202, cancelled.body);
    const [signal] = await signalsFor(toCancel.workflowId);
    assert.equal(signal?.signal, FILING_SIGNALS.cancel);
    assert.deepEqual(signal?.args, [
      {
        reason: 'cancelled in the agent console',
        by: agent.agentId,
        refundNote: 'R499 refunded to your card',
      },
    ]);
    assert.equal(await flagOf(toCancel), 'the owner asked for a person', 'a flag for something else stays');
  });

  it('refuses, with 409 and why, an action the filing does not wait for; nothing is queued', async () => {
    const running = await seedFiling({ status: 'running', milestones: [STARTED] });
    const filed = await seedFiling({
      status: 'filed',
      milestones: [STARTED, { at: STARTED.at, milestone: 'completed' }],
    });
    const notOnBalance = await seedFiling({
      status: 'waiting_for_person',
      milestones: [STARTED, waitingFor('no beneficial ownership declaration for 2026')],
    });
    const cases = [
      [running.id, { action: 'retry' }, /running and waits for nobody/],
      [filed.id, { action: 'cancel', refundNote: 'refunded' }, /already filed/],
      [notOnBalance.id, { action: 'captcha', text: 'abc12' }, /no security code waits to be read/],
      [notOnBalance.id, { action: 'balanceToppedUp' }, /does not wait for the CIPC prepaid balance/],
    ] as const;
    for (const [id, payload, why] of cases) {
      const response = await act(id, payload);
      assert.equal(response.statusCode, 409, `${payload.action}: ${response.body}`);
      assert.match(response.json().message, why);
    }
    for (const filing of [running, filed, notOnBalance]) {
      assert.deepEqual(await signalsFor(filing.workflowId), []);
    }
  });

  it('answers 404 for an unknown filing, 400 naming what is wrong, 401 without a session, 403 without CSRF', async () => {
    const filing = await waitingOnCaptcha();
    const unknown = await act(randomUUID(), { action: 'retry' });
    assert.equal(unknown.statusCode, 404);
    const malformed = [
      [{ action: 'captcha' }, /text/],
      [{ action: 'captcha', text: '<script>' }, /text/],
      [{ action: 'markFiled', arReference: 'x' }, /arReference/],
      [{ action: 'cancel', refundNote: '' }, /refundNote/],
      [{ action: 'retry', force: true }, /force/],
      [{ action: 'payOut' }, /action/],
      [{}, /action/],
    ] as const;
    for (const [payload, problem] of malformed) {
      const response = await act(filing.id, payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      assert.match(response.json().message, problem);
    }
    const notAnId = await act('not-a-filing', { action: 'retry' });
    assert.equal(notAnId.statusCode, 400);

    const anonymous = await act(filing.id, { action: 'retry' }, null);
    assert.equal(anonymous.statusCode, 401);
    for (const url of [`/api/v1/agent/filings/${filing.id}`, `/api/v1/agent/filings/${filing.id}/captcha`]) {
      assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 401, url);
    }
    const forged = await t.app.inject({
      method: 'POST',
      url: `/api/v1/agent/filings/${filing.id}/actions`,
      payload: { action: 'retry' },
      headers: { cookie: agent.cookie },
    });
    assert.equal(forged.statusCode, 403);
    assert.deepEqual(await signalsFor(filing.workflowId), [], 'no state change on any refusal');
    const [kept] = await t.database.db.select().from(filings).where(eq(filings.id, filing.id));
    assert.ok(kept?.captchaPngBase64, 'the code still waits to be read');
  });
});
