import { eq } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { decryptField } from '../../db/encrypt-field.js';
import { orders } from '../../db/schema.js';
import type { FasDetails } from '../../flows/conversation/conversation-command.js';
import type { FasEntry } from '../portal/annual-returns-page.js';

/** Raised when an order cannot be filed as it stands (no FAS details): a person completes it. */
export class OrderIncomplete extends Error {
  override readonly name = 'OrderIncomplete';
}

/**
 * The order's Financial Accountability Supplement, decrypted only in the activity that types it in, so
 * it never enters Temporal's history. The dialogue does not ask whether the statements were audited or
 * reviewed; owner-managed companies filing a FAS are usually neither, so that is the default.
 */
export async function loadFasEntry(db: Db, orderId: string, keys: readonly Buffer[]): Promise<FasEntry> {
  const [row] = await db.select({ fas: orders.fasEncrypted }).from(orders).where(eq(orders.id, orderId));
  if (!row?.fas) throw new OrderIncomplete(`order ${orderId} has no FAS details`);
  const fas = JSON.parse(decryptField(row.fas, keys)) as FasDetails & { assurance?: FasEntry['assurance'] };
  return {
    recordsKeeperName: fas.recordsKeeper.name,
    recordsKeeperId: fas.recordsKeeper.idNumber,
    preparerName: fas.preparer.name,
    preparerId: fas.preparer.idNumber,
    assurance: fas.assurance ?? 'Neither',
  };
}
