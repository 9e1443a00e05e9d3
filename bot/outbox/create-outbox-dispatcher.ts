import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import Bottleneck from 'bottleneck';
import { and, eq, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Db, queryRows, type Tx } from '../../db/create-database.js';
import { conversations, filings, messages, orders, outbox } from '../../db/schema.js';
import { type KeyRing, openJson } from '../../db/seal-json.js';
import { WHATSAPP_WINDOW_MS } from '../../flows/conversation/whatsapp-window.js';
import {
  FILE_ANNUAL_RETURNS_WORKFLOW,
  filingWorkflowId,
  type OrderToFile,
} from '../../flows/filing/file-annual-returns.js';
import { LOOKUP_ENTERPRISE_WORKFLOW, lookupWorkflowId } from '../../flows/filing/lookup-enterprise.js';
import { FILING_TASK_QUEUE } from '../../flows/filing/task-queues.js';
import { cloudMessageBody, MessageTooLargeError } from '../aisensy/cloud-message-body.js';
import { type AisensyClient, AisensySendError } from '../aisensy/create-aisensy-client.js';
import { WINDOW_CLOSED_CODE } from '../engine/apply-delivery-status.js';
import { backoffMs } from './backoff.js';
import type { OutboxPayloads } from './outbox-commands.js';
import { OUTBOX_PAYLOAD_VERSION } from './outbox-row.js';
import { templateFor } from './template-for.js';

export interface OutboxDispatcherDeps {
  db: Db;
  aisensy: AisensyClient;
  temporal: Client;
  logger: Logger;
  /** Opens sealed payloads (a WhatsApp send's phone, name and text); newest first. */
  encryptionKeys: KeyRing;
  now?: () => Date;
  filingTaskQueue?: string;
  /** Attempts before a retryable failure becomes permanent and a person is asked to look. */
  maxAttempts?: number;
  /** AiSensy sends: at most this many at once, and at least this many ms apart. */
  rateLimit?: { maxConcurrent: number; minTimeMs: number };
  /**
   * How long a claimed row is ours. It must outlast a pass (rows wait their turn in the rate limit, then
   * AiSensy's 15 s timeout), or a second dispatcher would take the row while we still send it.
   */
  leaseMs?: number;
  pollIntervalMs?: number;
}

/** An outbox row as claimed: ours to send until `lease_until`, the claim named by `leasedBy`. */
interface ClaimedRow {
  id: number;
  conversationId: string | null;
  kind: string;
  /** As stored: sealed kinds are opened just before their send (their clear fields read as they are). */
  payload: unknown;
  /** Counting this claim: a dispatcher that dies mid-send still used an attempt. */
  attempts: number;
  leasedBy: string;
  lastInboundAt: Date | null;
}

/** What a send achieved: the provider's id for the outbox row and what else to record with it. */
interface Sent {
  providerId: string | null;
  record?: (tx: Tx) => Promise<unknown>;
}

class PermanentFailure extends Error {}

/**
 * Sends the outbox: WhatsApp messages through AiSensy (session inside the 24-hour window, template
 * outside it or when WhatsApp says the window closed), Temporal workflow starts and signals.
 *
 * No database connection is held across the network. A pass claims due rows in one statement (a lease:
 * `lease_until`, `leased_by`) and commits; the provider is called with no transaction open; the outcome
 * is recorded in a short transaction that only the claim still holding the row may write. So two
 * dispatchers never send one row (a leased row is not due), and a dispatcher that died mid-send leaves a
 * lease that expires, after which the row is sent again (at least once: a send whose answer was lost
 * with its dispatcher goes out twice, the price of never losing one).
 *
 * WhatsApp messages go strictly in order per conversation: only a conversation's oldest pending message
 * is ever claimed, and one waiting for a retry (or leased) holds back the ones behind it. Workflow starts
 * wait for nothing: a paid filing must not queue behind a message AiSensy keeps refusing.
 */
export function createOutboxDispatcher(deps: OutboxDispatcherDeps) {
  const now = deps.now ?? (() => new Date());
  const maxAttempts = deps.maxAttempts ?? 12;
  const maxConcurrent = deps.rateLimit?.maxConcurrent ?? 8;
  // Twice what the rate limit runs at once: a claimed row waits at most one other send (15 s at worst).
  const claimLimit = maxConcurrent * 2;
  const leaseMs = deps.leaseMs ?? 120_000;
  const limiter = new Bottleneck({ maxConcurrent, minTime: deps.rateLimit?.minTimeMs ?? 20 });
  const log = deps.logger.child({ component: 'outbox' });
  const dispatcherId = randomUUID();
  let claims = 0;

  async function sendWhatsapp(row: ClaimedRow, payload: OutboxPayloads['whatsapp.send']): Promise<Sent> {
    const last = row.lastInboundAt?.getTime();
    const inWindow =
      last !== undefined &&
      now().getTime() - last < WHATSAPP_WINDOW_MS &&
      !payload.forceTemplate &&
      !payload.template;
    if (inWindow) {
      const body = cloudMessageBody(payload.phone, payload.message);
      try {
        const wamid = await limiter.schedule(() => deps.aisensy.sendSession(body));
        return { providerId: wamid ?? null, record: (tx) => recordSession(tx, payload, wamid) };
      } catch (err) {
        if (!(err instanceof AisensySendError && err.code === WINDOW_CLOSED_CODE)) throw err;
      }
    }
    const submittedId = await limiter.schedule(() =>
      deps.aisensy.sendTemplate(
        templateFor(payload.phone, payload.userName, payload.message, payload.template),
      ),
    );
    return { providerId: submittedId ?? null, record: (tx) => recordTemplate(tx, payload, submittedId) };
  }

  /** A session message went out: the transcript row gets its wamid (none when AiSensy named none). */
  function recordSession(tx: Tx, payload: OutboxPayloads['whatsapp.send'], wamid: string | undefined) {
    return tx
      .update(messages)
      .set({ providerMessageId: wamid ?? null, status: 'sent', sentAt: now(), updatedAt: now() })
      .where(and(eq(messages.id, payload.messageRowId), eq(messages.status, 'queued')));
  }

  /**
   * A template went out: the transcript row keeps AiSensy's submission id and waits for the wamid of its
   * first status (`adoptTemplateWamid`). When the template replaces a session message WhatsApp failed
   * with 131047, the row takes the template's status from here on instead of that failure.
   */
  function recordTemplate(tx: Tx, payload: OutboxPayloads['whatsapp.send'], submittedId: string | undefined) {
    const queued = eq(messages.status, 'queued');
    const windowClosed = and(eq(messages.status, 'failed'), eq(messages.statusReason, WINDOW_CLOSED_CODE));
    const replaceable = payload.forceTemplate ? or(queued, windowClosed) : queued;
    return tx
      .update(messages)
      .set({
        providerMessageId: null,
        submittedMessageId: submittedId ?? null,
        status: 'sent',
        statusReason: null,
        sentAt: now(),
        updatedAt: now(),
      })
      .where(and(eq(messages.id, payload.messageRowId), replaceable));
  }

  async function startLookup(payload: OutboxPayloads['temporal.startLookup']): Promise<Sent> {
    const workflowId = lookupWorkflowId(
      payload.conversationId,
      payload.registrationNumber,
      payload.requestedAt,
    );
    await startOnce(() =>
      deps.temporal.workflow.start(LOOKUP_ENTERPRISE_WORKFLOW, {
        taskQueue: deps.filingTaskQueue ?? FILING_TASK_QUEUE,
        workflowId,
        args: [{ registrationNumber: payload.registrationNumber, conversationId: payload.conversationId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    );
    return { providerId: workflowId };
  }

  /** The `filings` row first (its own statement), then Temporal, then the order's status with the outcome. */
  async function startFiling(payload: OutboxPayloads['temporal.startFiling']): Promise<Sent> {
    const [order] = await deps.db.select().from(orders).where(eq(orders.id, payload.orderId));
    if (!order) throw new PermanentFailure(`order ${payload.orderId} does not exist`);
    const workflowId = filingWorkflowId(order.id);
    const input: OrderToFile = {
      orderId: order.id,
      conversationId: order.conversationId,
      reference: order.reference,
      registrationNumber: order.registrationNumber,
      years: order.years.map((y) => ({
        year: y.year,
        turnoverBandId: y.turnoverBand,
        late: y.late,
        feeCents: y.feeCents,
      })),
      cipcFeeCents: order.cipcFeeCents,
    };
    await deps.db.insert(filings).values({ orderId: order.id, workflowId }).onConflictDoNothing();
    // USE_EXISTING + REJECT_DUPLICATE: however often this runs (retries, replicas, duplicate payments),
    // one order has one filing workflow, ever.
    await startOnce(() =>
      deps.temporal.workflow.start(FILE_ANNUAL_RETURNS_WORKFLOW, {
        taskQueue: deps.filingTaskQueue ?? FILING_TASK_QUEUE,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
    return {
      providerId: workflowId,
      record: (tx) =>
        tx
          .update(orders)
          .set({ status: 'filing', updatedAt: now() })
          .where(and(eq(orders.id, order.id), eq(orders.status, 'paid'))),
    };
  }

  /**
   * Signals a workflow. A send whose answer was lost goes again: the filing workflow takes a repeat after
   * it has moved on as nothing. A workflow that has ended cannot be answered: a person is asked to look.
   */
  async function signal(payload: OutboxPayloads['temporal.signal']): Promise<Sent> {
    try {
      await deps.temporal.workflow.getHandle(payload.workflowId).signal(payload.signal, ...payload.args);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        throw new PermanentFailure(`workflow ${payload.workflowId} has ended or does not exist`);
      }
      throw err;
    }
    return { providerId: payload.workflowId };
  }

  function perform(row: ClaimedRow): Promise<Sent> {
    switch (row.kind) {
      case 'whatsapp.send':
        return sendWhatsapp(row, row.payload as OutboxPayloads['whatsapp.send']);
      case 'temporal.startLookup':
        return startLookup(row.payload as OutboxPayloads['temporal.startLookup']);
      case 'temporal.startFiling':
        return startFiling(row.payload as OutboxPayloads['temporal.startFiling']);
      case 'temporal.signal':
        return signal(row.payload as OutboxPayloads['temporal.signal']);
      default:
        return Promise.reject(new PermanentFailure(`unknown outbox kind ${row.kind}`));
    }
  }

  /**
   * Writes the outcome in one short transaction, only while `row`'s claim still holds the lease: a claim
   * that lost it (expired, and another dispatcher took the row) records nothing. The provider has already
   * been called, so an outcome the database cannot take right now (a restart, a failover) is tried again
   * for half the lease: given up, the row would be sent a second time when its lease runs out.
   */
  async function recordOutcome(
    row: ClaimedRow,
    outcome: Partial<typeof outbox.$inferInsert>,
    alongside: (tx: Tx) => Promise<unknown>,
  ): Promise<void> {
    const write = () =>
      deps.db.transaction(async (tx) => {
        const [mine] = await tx
          .update(outbox)
          .set({ ...outcome, leaseUntil: null, leasedBy: null })
          .where(and(eq(outbox.id, row.id), eq(outbox.leasedBy, row.leasedBy)))
          .returning({ id: outbox.id });
        if (mine) await alongside(tx);
        return mine !== undefined;
      });
    const giveUpAt = Date.now() + leaseMs / 2;
    let held: boolean;
    for (let attempt = 1; ; attempt++) {
      try {
        held = await write();
        break;
      } catch (err) {
        if (Date.now() >= giveUpAt) throw err;
        log.warn(
          { outboxId: row.id, conversationId: row.conversationId, kind: row.kind, err },
          'outbox outcome not recorded yet; trying again',
        );
        await delay(Math.min(100 * 2 ** attempt, 5_000));
      }
    }
    if (!held)
      log.warn(
        { outboxId: row.id, conversationId: row.conversationId, kind: row.kind },
        'outbox lease lost before the outcome was recorded',
      );
  }

  async function processRow(row: ClaimedRow): Promise<void> {
    let sent: Sent;
    try {
      sent = await perform({ ...row, payload: openJson(row.payload, deps.encryptionKeys) });
    } catch (err) {
      await recordFailure(row, err);
      return;
    }
    await recordOutcome(
      row,
      { status: 'sent', providerId: sent.providerId, sentAt: now(), lastError: null },
      async (tx) => sent.record?.(tx),
    );
  }

  async function recordFailure(row: ClaimedRow, err: unknown): Promise<void> {
    const permanent =
      err instanceof PermanentFailure ||
      err instanceof MessageTooLargeError ||
      (err instanceof AisensySendError && !err.retryable) ||
      row.attempts >= maxAttempts;
    const reason = err instanceof Error ? err.message : String(err);
    log.warn(
      {
        outboxId: row.id,
        conversationId: row.conversationId,
        kind: row.kind,
        attempts: row.attempts,
        permanent,
        err,
      },
      'outbox send failed',
    );
    await recordOutcome(
      row,
      {
        status: permanent ? 'failed' : 'pending',
        lastError: reason,
        nextAttemptAt: new Date(now().getTime() + backoffMs(row.attempts)),
      },
      async (tx) => {
        if (!permanent || !row.conversationId) return;
        await tx
          .update(conversations)
          .set({ needsAgent: `could not ${row.kind}: ${reason}`, updatedAt: now() })
          .where(eq(conversations.id, row.conversationId));
        if (row.kind === 'whatsapp.send') {
          const messageRowId = (row.payload as OutboxPayloads['whatsapp.send']).messageRowId;
          await tx
            .update(messages)
            .set({ status: 'failed', statusReason: reason, updatedAt: now() })
            .where(eq(messages.id, messageRowId));
        }
      },
    );
  }

  /**
   * Leases every conversation's oldest due row (up to `claimLimit`) in one statement, committed at once.
   * `skip locked` keeps two claiming dispatchers off each other's rows; the lease keeps them off rows
   * being sent. Our clock counts milliseconds, the database's microseconds: a row queued earlier in this
   * very millisecond is due too. Leases run on the database's clock, the one all dispatchers share.
   * A payload of a newer version than this code knows is left to a newer replica.
   */
  async function claim(): Promise<ClaimedRow[]> {
    const leasedBy = `${dispatcherId}#${++claims}`;
    const rows = await queryRows<{
      id: number | string;
      conversation_id: string | null;
      kind: string;
      payload: unknown;
      attempts: number;
      last_inbound_at: Date | string | null;
    }>(
      deps.db,
      sql`with due as (
            select o.id from outbox o
            where o.status = 'pending'
              and o.next_attempt_at < ${now().toISOString()}::timestamptz + interval '1 millisecond'
              and (o.lease_until is null or o.lease_until < now())
              and coalesce((o.payload->>'v')::int, 1) <= ${OUTBOX_PAYLOAD_VERSION}
              and (o.kind <> 'whatsapp.send'
                   or not exists (select 1 from outbox p where p.status = 'pending'
                                  and p.kind = 'whatsapp.send'
                                  and p.conversation_id = o.conversation_id and p.id < o.id))
            order by o.id
            limit ${claimLimit}
            for update of o skip locked)
          update outbox o
          set lease_until = now() + ${leaseMs} * interval '1 millisecond',
              leased_by = ${leasedBy}, attempts = o.attempts + 1
          from due where o.id = due.id
          returning o.id, o.conversation_id, o.kind, o.payload, o.attempts,
            (select c.last_inbound_at from conversations c where c.id = o.conversation_id) as last_inbound_at`,
    );
    return rows.map((row) => ({
      id: Number(row.id),
      conversationId: row.conversation_id,
      kind: row.kind,
      payload: row.payload,
      attempts: row.attempts,
      leasedBy,
      lastInboundAt: row.last_inbound_at === null ? null : new Date(row.last_inbound_at),
    }));
  }

  /** One pass: claim, send concurrently across conversations, record. Resolves to the rows it took. */
  async function runOnce(): Promise<number> {
    const claimed = await claim();
    await Promise.all(claimed.map(processRow));
    return claimed.length;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          // Keep going while a pass found work: the rows behind a sent one are now due.
          while ((await runOnce()) > 0 && !stopped) {}
        } catch (err) {
          log.error({ err }, 'outbox pass failed');
        }
      } while (again && !stopped);
      running = undefined;
    })();
  }

  return {
    runOnce,
    kick,
    start(): void {
      stopped = false;
      timer = setInterval(kick, deps.pollIntervalMs ?? 500);
      kick();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
      await limiter.stop({ dropWaitingJobs: false }).catch(() => {});
    },
  };
}
export type OutboxDispatcher = ReturnType<typeof createOutboxDispatcher>;

async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (err) {
    // A closed workflow with this id already did the work; REJECT_DUPLICATE says so here.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
