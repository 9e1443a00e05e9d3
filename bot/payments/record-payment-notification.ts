import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { paymentNotifications } from '../../db/schema.js';
import { sealBytes } from '../../db/seal-bytes.js';
import type { KeyRing } from '../../db/seal-json.js';
import type { NotificationVerdict } from './notification-verdict.js';

export type PaymentProvider = 'payfast' | 'ozow';

/**
 * Stores a provider's notification exactly as posted, before anything in it is believed: the raw body as
 * bytes (bytea), so no byte a sender puts in it can make the insert fail. Sealed (`sealBytes`): an ITN
 * carries the payer's name, email and cell number. Readers open it with `openStoredBytes`.
 */
export async function recordPaymentNotification(
  db: Db,
  keys: KeyRing,
  notification: { provider: PaymentProvider; rawBody: Buffer; sourceIp: string },
): Promise<number> {
  const [row] = await db
    .insert(paymentNotifications)
    .values({ ...notification, rawBody: sealBytes(notification.rawBody, keys) })
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
