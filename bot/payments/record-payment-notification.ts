import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { paymentNotifications } from '../../db/schema.js';
import type { NotificationVerdict } from './notification-verdict.js';

export type PaymentProvider = 'payfast' | 'ozow';

/**
 * Stores a provider's notification exactly as posted, before anything in it is believed: the raw body as
 * bytes (bytea), so no byte a sender puts in it can make the insert fail.
 */
export async function recordPaymentNotification(
  db: Db,
  notification: { provider: PaymentProvider; rawBody: Buffer; sourceIp: string },
): Promise<number> {
  const [row] = await db
    .insert(paymentNotifications)
    .values(notification)
    .returning({ id: paymentNotifications.id });
  return (row as { id: number }).id;
}

/** Writes the verdict onto the stored notification: an operator reads why it paid or did not. */
export async function settlePaymentNotification(
  db: Db,
  id: number,
  verdict: NotificationVerdict,
): Promise<void> {
  await db
    .update(paymentNotifications)
    .set({ outcome: verdict.outcome, reason: verdict.reason })
    .where(eq(paymentNotifications.id, id));
}
