import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { orders, outbox, paymentRequests, payments } from '../../db/schema.js';
import { storeEvent } from '../../db/store-event.js';
import type { ConversationEvent } from '../../flows/conversation/conversation-event.js';
import { outboxRow } from '../outbox/outbox-row.js';
import { flagOrder } from './flag-order.js';
import { money } from './money.js';
import type { PaymentProvider } from './record-payment-notification.js';

export interface VerifiedPayment {
  orderId: string;
  provider: PaymentProvider;
  /** PayFast `pf_payment_id` or Ozow `TransactionId`. */
  providerPaymentId: string;
  amountCents: number;
  /** The provider's status word, kept on the payment row. */
  status: string;
  notificationId?: number;
  at: Date;
}

export type ConfirmedPayment =
  | { result: 'paid'; conversationId: string }
  /** This provider payment id was recorded before: a replayed notification. */
  | { result: 'duplicate' }
  /** Real money arrived for an order that cannot take it (paid already, expired): a person decides. */
  | { result: 'flagged'; reason: string };

/**
 * Records a verified payment. One transaction with the order row locked: the payment row (unique per
 * provider and provider payment id), the order marked paid, the filing queued (a `temporal.startFiling`
 * outbox row) and the `payment.confirmed` event (dedupe key `payment:<orderId>`, so two providers paying
 * one order still give one event). Concurrent deliveries queue on the lock; the first pays, the rest find
 * the payment row (or the order paid) and change nothing. The money starts the filing here, whatever the
 * conversation is doing: the dialogue is only told, so a restart, an opt-out or a new machine version
 * cannot leave a payment unfiled.
 */
export async function confirmPayment(db: Db, payment: VerifiedPayment): Promise<ConfirmedPayment> {
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, payment.orderId)).for('update');
    if (!order) throw new Error(`order ${payment.orderId} does not exist`);
    const [inserted] = await tx
      .insert(payments)
      .values({
        orderId: order.id,
        provider: payment.provider,
        providerPaymentId: payment.providerPaymentId,
        amountCents: payment.amountCents,
        status: payment.status,
        notificationId: payment.notificationId,
      })
      .onConflictDoNothing({ target: [payments.provider, payments.providerPaymentId] })
      .returning({ id: payments.id });
    if (!inserted) return { result: 'duplicate' };
    await tx
      .update(paymentRequests)
      .set({ status: 'confirmed', checkedAt: payment.at })
      .where(and(eq(paymentRequests.orderId, order.id), eq(paymentRequests.provider, payment.provider)));

    if (order.status !== 'awaiting_payment') {
      const reason =
        order.status === 'expired'
          ? `${payment.provider} payment ${payment.providerPaymentId} (R${money.format(payment.amountCents)}) arrived after order ${order.reference} expired: file or refund`
          : `order ${order.reference} was paid again: ${payment.provider} payment ${payment.providerPaymentId} (R${money.format(payment.amountCents)}) while the order was ${order.status}; refund the extra payment`;
      await flagOrder(tx, order, reason, payment.at);
      return { result: 'flagged', reason };
    }
    await tx
      .update(orders)
      .set({ status: 'paid', paidAt: payment.at, updatedAt: payment.at })
      .where(eq(orders.id, order.id));
    await tx
      .insert(outbox)
      .values(outboxRow(order.conversationId, 'temporal.startFiling', { orderId: order.id }));
    const event: ConversationEvent = {
      type: 'payment.confirmed',
      at: payment.at.toISOString(),
      orderId: order.id,
      provider: payment.provider,
      amountCents: payment.amountCents,
    };
    await storeEvent(tx, {
      dedupeKey: `payment:${order.id}`,
      conversationId: order.conversationId,
      type: event.type,
      payload: event,
    });
    return { result: 'paid', conversationId: order.conversationId };
  });
}
