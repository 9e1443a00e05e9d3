import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import Bottleneck from 'bottleneck';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Db, queryRows, type Tx } from '../../db/create-database.js';
import { contacts, conversations, filings, messages, orders, outbox } from '../../db/schema.js';
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
import { templateFor } from './template-for.js';

const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface OutboxDispatcherDeps {
  db: Db;
  aisensy: AisensyClient;
  temporal: Client;
  logger: Logger;
  now?: () => Date;
  filingTaskQueue?: string;
  /** Attempts before a retryable failure becomes permanent and a person is asked to look. */
  maxAttempts?: number;
  /** AiSensy sends: at most this many at once, and at least this many ms apart. */
  rateLimit?: { maxConcurrent: number; minTimeMs: number };
  pollIntervalMs?: number;
}

class PermanentFailure extends Error {}

/**
 * Sends the outbox: WhatsApp messages through AiSensy (session inside the 24-hour window, template
 * outside it or when WhatsApp says the window closed) and Temporal workflow starts. Strictly in order
 * per conversation: only the oldest pending row of a conversation is ever taken, and a row that waits
 * for a retry holds back the ones behind it. Safe with several replicas (rows are locked while sent).
 */
export function createOutboxDispatcher(deps: OutboxDispatcherDeps) {
  const now = deps.now ?? (() => new Date());
  const maxAttempts = deps.maxAttempts ?? 12;
  const limiter = new Bottleneck({
    maxConcurrent: deps.rateLimit?.maxConcurrent ?? 8,
    minTime: deps.rateLimit?.minTimeMs ?? 20,
  });
  const log = deps.logger.child({ component: 'outbox' });

  async function sendWhatsapp(tx: Tx, payload: OutboxPayloads['whatsapp.send']): Promise<string> {
    const [conversation] = await tx
      .select({ lastInboundAt: conversations.lastInboundAt })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(contacts.phone, payload.phone));
    const last = conversation?.lastInboundAt?.getTime();
    const inWindow = last !== undefined && now().getTime() - last < WINDOW_MS && !payload.forceTemplate;
    const sendTemplate = () =>
      limiter.schedule(() =>
        deps.aisensy.sendTemplate(templateFor(payload.phone, payload.userName, payload.message)),
      );
    let providerId: string;
    if (inWindow) {
      const body = cloudMessageBody(payload.phone, payload.message);
      try {
        providerId = await limiter.schedule(() => deps.aisensy.sendSession(body));
      } catch (err) {
        if (!(err instanceof AisensySendError && err.code === WINDOW_CLOSED_CODE)) throw err;
        providerId = await sendTemplate();
      }
    } else {
      providerId = await sendTemplate();
    }
    await tx
      .update(messages)
      .set({ providerMessageId: providerId || null, status: 'sent', updatedAt: now() })
      .where(and(eq(messages.id, payload.messageRowId), sql`${messages.status} = 'queued'`));
    return providerId;
  }

  async function startLookup(payload: OutboxPayloads['temporal.startLookup']): Promise<string> {
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
    return workflowId;
  }

  async function startFiling(tx: Tx, payload: OutboxPayloads['temporal.startFiling']): Promise<string> {
    const [order] = await tx.select().from(orders).where(eq(orders.id, payload.orderId));
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
    await tx.insert(filings).values({ orderId: order.id, workflowId }).onConflictDoNothing();
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
    await tx
      .update(orders)
      .set({ status: 'filing', updatedAt: now() })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'paid')));
    return workflowId;
  }

  async function perform(tx: Tx, kind: string, payload: unknown): Promise<string> {
    switch (kind) {
      case 'whatsapp.send':
        return sendWhatsapp(tx, payload as OutboxPayloads['whatsapp.send']);
      case 'temporal.startLookup':
        return startLookup(payload as OutboxPayloads['temporal.startLookup']);
      case 'temporal.startFiling':
        return startFiling(tx, payload as OutboxPayloads['temporal.startFiling']);
      default:
        throw new PermanentFailure(`unknown outbox kind ${kind}`);
    }
  }

  async function processRow(id: number): Promise<void> {
    await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')))
        .for('update', { skipLocked: true });
      if (!row) return;
      try {
        const providerId = await perform(tx, row.kind, row.payload);
        await tx
          .update(outbox)
          .set({ status: 'sent', providerId, sentAt: now(), attempts: row.attempts + 1, lastError: null })
          .where(eq(outbox.id, id));
      } catch (err) {
        const attempts = row.attempts + 1;
        const permanent =
          err instanceof PermanentFailure ||
          err instanceof MessageTooLargeError ||
          (err instanceof AisensySendError && !err.retryable) ||
          attempts >= maxAttempts;
        const reason = err instanceof Error ? err.message : String(err);
        log.warn({ outboxId: id, kind: row.kind, attempts, permanent, err }, 'outbox send failed');
        await tx
          .update(outbox)
          .set({
            status: permanent ? 'failed' : 'pending',
            attempts,
            lastError: reason,
            nextAttemptAt: new Date(now().getTime() + backoffMs(attempts)),
          })
          .where(eq(outbox.id, id));
        if (permanent && row.conversationId) {
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
        }
      }
    });
  }

  /** One pass: every conversation's oldest due row, sent concurrently across conversations. */
  async function runOnce(): Promise<number> {
    // Our clock counts milliseconds, the database's microseconds: a row queued earlier in this very
    // millisecond is due too (it would otherwise wait for the next pass).
    const due = await queryRows<{ id: number | string }>(
      deps.db,
      sql`select o.id from outbox o
          where o.status = 'pending'
            and o.next_attempt_at < ${now().toISOString()}::timestamptz + interval '1 millisecond'
            and not exists (select 1 from outbox p where p.status = 'pending'
                            and p.conversation_id = o.conversation_id and p.id < o.id)
          order by o.id limit 100`,
    );
    await Promise.all(due.map((row) => processRow(Number(row.id))));
    return due.length;
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
