import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { paymentNotifications } from '../../../db/schema.js';

/** Test support: one stored notification row as it is now. */
export async function paymentNotificationOf(db: Db, id: number) {
  return (await db.select().from(paymentNotifications).where(eq(paymentNotifications.id, id)))[0];
}
