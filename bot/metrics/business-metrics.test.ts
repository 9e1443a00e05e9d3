import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import { contacts, conversations, events } from '../../db/schema.js';
import { createEngine } from '../engine/create-engine.js';
import { seedUnpaidOrder } from '../routes/pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../routes/pay/testing/start-payment-world.js';
import { postAisensy, userTextEnvelope } from '../testing/build-test-app.js';

type Labels = Record<string, string | number>;

/**
 * The service's /metrics after a journey through the real webhooks and engine: an owner says hi and agrees
 * (consent), a forged message is refused, an order is paid with PayFast (checkout, ITN, checks). The
 * counters count what happened and the database-derived gauges show the conversation, the funnel, the
 * order, the payment and the revenue. No dispatcher runs, so the replies wait in the outbox.
 */
describe('the service metrics after a journey', () => {
  let world: PaymentWorld;
  let metrics: MetricObjectWithValues<MetricValue<string>>[];
  let exposition: string;
  let orderAmountCents: number;
  let engine: ReturnType<typeof createEngine>;

  before(async () => {
    world = await startPaymentWorld();
    engine = createEngine({
      db: world.db,
      logger: pino({ level: 'silent' }),
      serviceFeeCents: world.config.serviceFeeCents,
      publicBaseUrl: world.url,
      encryptionKeys: world.app.encryptionKeys,
      payTokenTtlMs: 3_600_000,
      pollIntervalMs: 50,
    });
    engine.start();
    const phone = '+27845550101';
    const applied = async () => {
      for (let i = 0; i < 400; i++) {
        const pending = await world.db.select().from(events).where(eq(events.status, 'pending'));
        if (pending.length === 0) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.fail('events still pending');
    };
    assert.equal((await postAisensy(world.app, userTextEnvelope(phone, 'hi'))).statusCode, 200);
    await applied();
    assert.equal((await postAisensy(world.app, userTextEnvelope(phone, 'I agree'))).statusCode, 200);
    await applied();
    assert.equal(
      (await postAisensy(world.app, userTextEnvelope(phone, 'hi'), 'f'.repeat(64))).statusCode,
      401,
    );
    const [conversation] = await world.db
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(contacts.phone, phone));
    const order = await seedUnpaidOrder(world.db, { conversationId: conversation?.id });
    orderAmountCents = order.amountCents;
    await world.payWithPayfast(order.payToken);
    await world.settled();
    await applied();
    await engine.stop();
    // With the engine stopped, this one waits: the backlog.
    assert.equal((await postAisensy(world.app, userTextEnvelope(phone, 'hello?'))).statusCode, 200);
    const response = await world.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    exposition = response.body;
    metrics = (await world.app.metrics.getMetricsAsJSON()) as typeof metrics;
  });
  after(async () => {
    await engine?.stop();
    await world?.close();
  });

  const value = (name: string, labels: Labels = {}): number | undefined => {
    const metric = metrics.find((m) => m.name === name);
    assert.ok(metric, `${name} is exported`);
    return metric.values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
      ?.value;
  };

  it('counts webhook requests by provider and outcome, forged ones apart', () => {
    assert.equal(value('webhook_requests_total', { provider: 'aisensy', outcome: 'accepted' }), 3);
    assert.equal(value('webhook_requests_total', { provider: 'aisensy', outcome: 'signature_rejected' }), 1);
    assert.ok((value('webhook_requests_total', { provider: 'payfast', outcome: 'accepted' }) ?? 0) >= 1);
  });

  it('shows the conversations, the funnel, the order, the payment and the revenue from the database', () => {
    // seedUnpaidOrder's own contact and conversation are there too.
    assert.equal(value('funnel_conversations', { step: 'conversation' }), 2);
    assert.equal(value('funnel_conversations', { step: 'consent' }), 1, 'the owner agreed');
    assert.equal(value('funnel_conversations', { step: 'quote' }), 1);
    assert.equal(value('funnel_conversations', { step: 'paid' }), 1);
    assert.equal(value('funnel_conversations', { step: 'filed' }), 0);
    assert.equal(value('orders', { status: 'paid' }), 1);
    assert.equal(value('payments', { provider: 'payfast' }), 1);
    assert.equal(value('payment_notifications', { provider: 'payfast', outcome: 'accepted' }), 1);
    assert.equal(
      (value('revenue_cents', { part: 'service_fee' }) ?? 0) +
        (value('revenue_cents', { part: 'cipc_fee' }) ?? 0),
      orderAmountCents,
    );
    assert.equal(value('filings_queued_cipc_fee_cents'), orderAmountCents - 19_900);
  });

  it('shows the conversation by dialogue state, the engine at work and its backlog', () => {
    const byState = metrics.find((m) => m.name === 'conversations')?.values ?? [];
    assert.ok(
      byState.some((v) => v.labels.owner === 'bot' && v.labels.state !== 'none' && v.value === 1),
      `the owner's conversation by its state: ${JSON.stringify(byState)}`,
    );
    assert.ok((value('engine_events', { status: 'processed' }) ?? 0) >= 2, 'hi and I agree were applied');
    assert.match(exposition, /^engine_batch_seconds_count [1-9]\d*$/m);
    assert.equal(value('engine_events', { status: 'pending' }), 1, 'the message after the engine stopped');
    assert.ok((value('engine_oldest_pending_event_seconds') ?? 0) > 0);
  });

  it("shows the outbox's lag: no dispatcher runs here", () => {
    // The payment queued the filing's start in its own transaction; nobody has sent it, nor the replies.
    assert.equal(value('outbox_rows', { kind: 'temporal.startFiling', status: 'pending' }), 1);
    const replies = (metrics.find((m) => m.name === 'outbox_rows')?.values ?? []).filter(
      (v) => v.labels.kind !== 'temporal.startFiling' && v.labels.status === 'pending',
    );
    assert.ok(replies.reduce((sum, v) => sum + v.value, 0) >= 2, 'the replies to hi and I agree');
    assert.ok((value('outbox_lag_seconds') ?? 0) > 0);
    assert.equal(value('filings', { status: 'waiting_for_person' }), 0);
  });

  it('serves all of it as Prometheus text', () => {
    assert.match(exposition, /^# TYPE webhook_requests_total counter$/m);
    assert.match(exposition, /^orders\{status="paid"\} 1$/m);
    assert.match(exposition, /^# TYPE engine_batch_seconds histogram$/m);
    assert.match(exposition, /^# TYPE http_request_duration_seconds histogram$/m);
  });
});
