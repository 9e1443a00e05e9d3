import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import {
  contacts,
  conversationNotes,
  conversations,
  events,
  filingActions,
  filings,
  messages,
  orders,
  outbox,
  paymentNotifications,
  paymentRequests,
  reminders,
  unhandledAisensyDeliveries,
} from '../../../db/schema.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { recordAudit } from '../audit/record-audit.js';
import { loadContactData } from './contact-data.js';
import { filingArtefactsDir } from './filing-artefacts-dir.js';
import { redactProviderBody } from './redact-provider-body.js';

/** What an erased value reads as: the row stays (ordering, delivery ticks, counts), its content does not. */
const ERASED = { erased: true };

/** A paid order still on its way to CIPC: the filing needs the details, so erasure waits for it. */
const IN_PROGRESS: readonly string[] = ['paid', 'filing', 'needs_agent'];
const FILING_IN_PROGRESS: readonly string[] = ['running', 'waiting_for_person'];

export type ErasureOutcome =
  | {
      outcome: 'erased';
      contactId: string;
      kept: { orders: number; payments: number; filings: number };
      erased: { messages: number; events: number; outbox: number; orders: number; artefactFolders: number };
    }
  | { outcome: 'not_found' }
  | { outcome: 'busy'; reason: string };

/**
 * POPIA s24 (correction and deletion): removes everything that identifies the person behind `phone`
 * while keeping the records the law makes us keep for five years — the Tax Administration Act (s29) and
 * the VAT Act (s55) require the records behind every invoice and payment: the order (reference, company
 * registration number and name as the customer, years, fees, amounts, status, paid time), its payments
 * (provider, provider payment id, amount, status, the provider's notification reduced to its financial
 * fields) and the filing (workflow, status, AR references, certificate) that the money paid for. An
 * order never paid holds nothing the law needs, so it is deleted. The audit log is kept too: it names
 * rows by id and never holds personal data (`recordAudit`), and it shows that the erasure happened.
 *
 * Everything else goes, in one transaction with the conversation locked (the engine waits): the phone
 * number and name (the contact row stays, opted out, as `erased:<id>`), the conversation's state, every
 * transcript body, event payload and outgoing command (pending ones are cancelled: nothing is sent after
 * an erasure), agents' private notes, reminders, unhandled deliveries, emails and financial-statement details, agents' notes
 * on the filing, and (after the commit) the filing's screenshots and trace. A paid filing still in
 * progress refuses: it needs those details, and erasing under it would file wrong or fail.
 */
export async function eraseContact(
  db: Db,
  keys: KeyRing,
  request: { phone: string; actor: string; dataDir: string; now?: Date },
): Promise<ErasureOutcome> {
  const now = request.now ?? new Date();
  const result = await db.transaction(async (tx): Promise<ErasureOutcome & { orderIds?: string[] }> => {
    const data = await loadContactData(tx, request.phone, { lock: true });
    if (!data) return { outcome: 'not_found' };
    const busyOrder = data.orders.find((order) => IN_PROGRESS.includes(order.status));
    const busyFiling = data.filings.find((filing) => FILING_IN_PROGRESS.includes(filing.status));
    if (busyOrder || busyFiling) {
      return {
        outcome: 'busy',
        reason: busyOrder
          ? `order ${busyOrder.reference} is ${busyOrder.status}: finish or cancel its filing first`
          : `filing ${busyFiling?.workflowId} is ${busyFiling?.status}: finish or cancel it first`,
      };
    }
    const { contact, conversation } = data;
    await tx
      .update(contacts)
      .set({
        phone: `erased:${contact.id}`,
        name: null,
        optedOutAt: contact.optedOutAt ?? now,
        erasedAt: now,
      })
      .where(eq(contacts.id, contact.id));

    const financial = new Set([
      ...data.payments.map((payment) => payment.orderId),
      ...data.filings.map((filing) => filing.orderId),
    ]);
    const keptOrders = data.orders.filter((order) => financial.has(order.id));
    const droppedOrders = data.orders.filter((order) => !financial.has(order.id));
    if (conversation) {
      const id = conversation.id;
      await tx
        .update(conversations)
        .set({
          snapshot: null,
          needsAgent: null,
          owner: 'bot',
          assignedAgentId: null,
          agentActiveAt: null,
          lastInboundAt: null,
          updatedAt: now,
        })
        .where(eq(conversations.id, id));
      await tx.update(messages).set({ body: ERASED, updatedAt: now }).where(eq(messages.conversationId, id));
      await tx
        .update(events)
        .set({ status: 'failed', error: 'contact erased', processedAt: now })
        .where(and(eq(events.conversationId, id), eq(events.status, 'pending')));
      await tx.update(events).set({ payload: ERASED }).where(eq(events.conversationId, id));
      await tx
        .update(outbox)
        .set({ status: 'failed', lastError: 'contact erased', leaseUntil: null, leasedBy: null })
        .where(and(eq(outbox.conversationId, id), eq(outbox.status, 'pending')));
      await tx.update(outbox).set({ payload: ERASED }).where(eq(outbox.conversationId, id));
      await tx.delete(reminders).where(eq(reminders.conversationId, id));
      await tx
        .update(conversationNotes)
        .set({ body: ERASED })
        .where(eq(conversationNotes.conversationId, id));
      await tx
        .update(unhandledAisensyDeliveries)
        .set({ body: ERASED })
        .where(eq(unhandledAisensyDeliveries.conversationId, id));
    }
    if (droppedOrders.length > 0) {
      const ids = droppedOrders.map((order) => order.id);
      await tx.delete(paymentRequests).where(inArray(paymentRequests.orderId, ids));
      await tx.delete(orders).where(inArray(orders.id, ids));
    }
    for (const order of keptOrders) {
      await tx
        .update(orders)
        .set({
          emailEncrypted: null,
          fasEncrypted: null,
          // The pay link dies with the person: a token nobody holds, already expired.
          payToken: `erased-${randomBytes(18).toString('base64url')}`,
          payTokenExpiresAt: now,
          updatedAt: now,
        })
        .where(eq(orders.id, order.id));
    }
    for (const notification of data.paymentNotifications) {
      await tx
        .update(paymentNotifications)
        .set({ rawBody: redactProviderBody(notification.rawBody, keys) })
        .where(eq(paymentNotifications.id, notification.id));
    }
    for (const filing of data.filings) {
      await tx
        .update(filings)
        .set({
          milestones: filing.milestones.map(({ at, milestone }) => ({ at, milestone })),
          captchaPngBase64: null,
          updatedAt: now,
        })
        .where(eq(filings.id, filing.id));
    }
    if (data.filingActions.length > 0) {
      await tx
        .update(filingActions)
        .set({ details: null })
        .where(
          inArray(
            filingActions.id,
            data.filingActions.map((action) => action.id),
          ),
        );
    }
    const outcome: ErasureOutcome = {
      outcome: 'erased',
      contactId: contact.id,
      kept: { orders: keptOrders.length, payments: data.payments.length, filings: data.filings.length },
      erased: {
        messages: data.messages.length,
        events: data.events.length,
        outbox: data.outbox.length,
        orders: droppedOrders.length,
        artefactFolders: 0,
      },
    };
    await recordAudit(tx, {
      actor: request.actor,
      action: 'contact.erased',
      subject: `contact:${contact.id}`,
      details: { conversation: conversation?.id ?? null, kept: outcome.kept, erased: outcome.erased },
    });
    return { ...outcome, orderIds: data.orders.map((order) => order.id) };
  });
  if (result.outcome !== 'erased') return result;
  const { orderIds = [], ...erased } = result;
  // After the commit: a file deleted for a rolled-back erasure could not be brought back.
  for (const orderId of orderIds) {
    const dir = filingArtefactsDir(request.dataDir, orderId);
    if (!existsSync(dir)) continue;
    await rm(dir, { recursive: true, force: true });
    erased.erased.artefactFolders += 1;
  }
  return erased;
}
