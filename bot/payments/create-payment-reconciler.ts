import type { Logger } from 'pino';
import type { Config } from '../../config/load-config.js';
import type { Db } from '../../db/create-database.js';
import type { KeyRing } from '../../db/seal-json.js';
import { storeDueReminders } from '../reminders/store-due-reminders.js';
import { startPolling } from '../start-polling.js';
import { createOzowClient, type OzowClient } from './create-ozow-client.js';
import { expireUnpaidOrders } from './expire-unpaid-orders.js';
import { payfastItnSettings } from './payfast-itn-settings.js';
import type { PayfastItnDeps } from './process-payfast-itn.js';
import { reconcileOzowRequests } from './reconcile-ozow-requests.js';
import { remindUnpaidOrders } from './remind-unpaid-orders.js';
import { retryPendingPayfastItns } from './retry-pending-payfast-itns.js';

export interface PaymentReconcilerDeps {
  db: Db;
  /** Opens the raw ITNs it checks again. */
  encryptionKeys: KeyRing;
  config: Pick<Config, 'payfast' | 'ozow'>;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** Defaults to the Ozow API in `config`. */
  ozow?: Pick<OzowClient, 'transactionsByReference'>;
  /** Defaults to POSTing to PayFast's validate endpoint in `config`. */
  validatePayfast?: PayfastItnDeps['validate'];
  now?: () => Date;
  onEventStored?: (conversationId: string) => void;
  intervalMs?: number;
  /** An Ozow checkout unconfirmed for this long is looked up with Ozow's status API. */
  ozowAfterMs?: number;
  /** A PayFast ITN still undecided after this long is checked again. */
  payfastAfterMs?: number;
  /** An unpaid order is reminded this long after its link was sent. */
  remindAfterMs?: number;
}

export interface ReconcileReport {
  ozowOrdersChecked: number;
  payfastRetried: number;
  reminded: number;
  expired: number;
  /** Conversations handed an annual-return reminder that came due. */
  remindersDue: number;
}

/**
 * The periodic payment housekeeping: confirm Ozow payments whose notification never came, re-check
 * PayFast ITNs left undecided, remind unpaid orders once, expire dead links; and, in the same pass, hand
 * back the annual-return reminders that came due. Every step is idempotent and safe on several replicas
 * (conditional updates, unique dedupe keys, the order row lock).
 */
export function createPaymentReconciler(deps: PaymentReconcilerDeps) {
  const now = deps.now ?? (() => new Date());
  const ozow = deps.ozow ?? createOzowClient(deps.config.ozow);
  const payfast = { ...payfastItnSettings(deps.config), validate: deps.validatePayfast };
  let polling: ReturnType<typeof startPolling> | undefined;
  const told = (ids: string[]) => {
    for (const id of ids) deps.onEventStored?.(id);
    return ids.length;
  };

  async function runOnce(): Promise<ReconcileReport> {
    const ozowOrdersChecked = await reconcileOzowRequests({
      db: deps.db,
      client: ozow,
      logger: deps.logger,
      now,
      olderThanMs: deps.ozowAfterMs ?? 10 * 60_000,
      onEventStored: deps.onEventStored,
    });
    const payfastRetried = await retryPendingPayfastItns(
      {
        ...payfast,
        db: deps.db,
        encryptionKeys: deps.encryptionKeys,
        now,
        onEventStored: deps.onEventStored,
      },
      { now: now(), olderThanMs: deps.payfastAfterMs ?? 5 * 60_000 },
    );
    // After the payment checks, so a payment that did arrive is never followed by a reminder or expiry.
    const reminded = told(
      await remindUnpaidOrders(deps.db, { now: now(), remindAfterMs: deps.remindAfterMs ?? 2 * 3_600_000 }),
    );
    const expired = told(await expireUnpaidOrders(deps.db, now()));
    const remindersDue = told(await storeDueReminders(deps.db, now()));
    return { ozowOrdersChecked, payfastRetried, reminded, expired, remindersDue };
  }

  return {
    runOnce,
    start(): void {
      polling ??= startPolling(runOnce, deps.intervalMs ?? 60_000, (err) =>
        deps.logger.error({ err }, 'payment reconciliation failed'),
      );
    },
    async stop(): Promise<void> {
      await polling?.stop();
      polling = undefined;
    },
  };
}
export type PaymentReconciler = ReturnType<typeof createPaymentReconciler>;
