import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { conversations, paymentNotifications } from '../../db/schema.js';
import { openStoredBytes } from '../../db/seal-bytes.js';
import { type ItnCheck, type PayfastItnDeps, processPayfastItn } from './process-payfast-itn.js';

/**
 * How often an undecided ITN is checked: the webhook's check, then re-checks each waiting twice as long
 * as the one before (olderThanMs, 2×, 4×, …). After `personAfter` checks a person is told; after `max`
 * (about 10 hours at the 5-minute default) automatic re-checks stop and the row waits for that person.
 */
export const PAYFAST_ITN_CHECKS = { personAfter: 3, max: 8 } as const;

/** Puts the undecided payment in front of a person, next to whatever the conversation already needs. */
async function tellPerson(db: Db, { verdict, check, order }: ItnCheck, itnId: number, now: Date) {
  if (!order) return;
  const reason =
    `PayFast ITN ${itnId} for order ${order.reference} still undecided after ${check} checks (${verdict.reason}); ` +
    `re-checked up to ${PAYFAST_ITN_CHECKS.max} times: see "Checking a PayFast payment" in bot/payments/README.md`;
  await db
    .update(conversations)
    .set({ needsAgent: sql`coalesce(${conversations.needsAgent} || '; ', '') || ${reason}`, updatedAt: now })
    .where(eq(conversations.id, order.conversationId));
}

/**
 * PayFast was answered 200 before its ITN was checked, so it will not resend one whose checks could not
 * decide (its validate endpoint down, the process stopped, a source not listed or a lookup failing). This
 * runs them again on the schedule above; a source fixed in PAYFAST_SOURCE_ALLOWLIST, or DNS back, pays on
 * the next re-check. Returns how many ITNs it checked.
 */
export async function retryPendingPayfastItns(
  deps: PayfastItnDeps,
  options: { now: Date; olderThanMs: number },
): Promise<number> {
  const { checks, checkedAt, receivedAt } = paymentNotifications;
  const due = await deps.db
    .select()
    .from(paymentNotifications)
    .where(
      and(
        eq(paymentNotifications.provider, 'payfast'),
        eq(paymentNotifications.outcome, 'pending'),
        lt(checks, PAYFAST_ITN_CHECKS.max),
        sql`coalesce(${checkedAt}, ${receivedAt}) + interval '1 millisecond' * ${options.olderThanMs}::double precision * power(2, greatest(${checks} - 1, 0)) <= ${options.now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(paymentNotifications.id))
    .limit(100);
  let checked = 0;
  for (const row of due) {
    const itn = {
      id: row.id,
      rawBody: openStoredBytes(row.rawBody, deps.encryptionKeys).toString('utf8'),
      sourceIp: row.sourceIp ?? '',
      checks: row.checks,
    };
    const result = await processPayfastItn({ ...deps, now: () => options.now }, itn);
    if (!result) continue;
    checked++;
    if (result.verdict.outcome === 'pending' && result.check === PAYFAST_ITN_CHECKS.personAfter) {
      await tellPerson(deps.db, result, row.id, options.now);
    }
  }
  return checked;
}
