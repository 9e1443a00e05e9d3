import { and, eq, lt } from 'drizzle-orm';
import { paymentNotifications } from '../../db/schema.js';
import { type PayfastItnDeps, processPayfastItn } from './process-payfast-itn.js';

/**
 * PayFast was answered 200 before its ITN was checked, so it will not retry one whose checks never
 * finished (PayFast's validate endpoint down, the process stopped). This runs them again.
 */
export async function retryPendingPayfastItns(
  deps: PayfastItnDeps,
  options: { now: Date; olderThanMs: number },
): Promise<number> {
  const stuck = await deps.db
    .select()
    .from(paymentNotifications)
    .where(
      and(
        eq(paymentNotifications.provider, 'payfast'),
        eq(paymentNotifications.outcome, 'pending'),
        lt(paymentNotifications.receivedAt, new Date(options.now.getTime() - options.olderThanMs)),
      ),
    )
    .limit(100);
  for (const row of stuck) {
    await processPayfastItn(deps, { id: row.id, rawBody: row.rawBody, sourceIp: row.sourceIp ?? '' });
  }
  return stuck.length;
}
