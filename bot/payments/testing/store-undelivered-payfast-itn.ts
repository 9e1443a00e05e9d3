import type { orders } from '../../../db/schema.js';
import type { PaymentWorld } from '../../routes/pay/testing/start-payment-world.js';
import type { StoredItn } from '../process-payfast-itn.js';
import { recordPaymentNotification } from '../record-payment-notification.js';

/**
 * Test support: pays `order` in the PayFast sandbox with its ITN held back (it would leave in 10 minutes),
 * and stores that ITN as if it had arrived from `sourceIp` — a source a loopback test cannot post from.
 * PayFast's validate endpoint (the sandbox) confirms it, as it would a real one.
 */
export async function storeUndeliveredPayfastItn(
  world: PaymentWorld,
  order: typeof orders.$inferSelect,
  sourceIp: string,
): Promise<StoredItn> {
  world.payfast.set({ delayMs: 600_000 });
  await world.payWithPayfast(order.payToken);
  world.payfast.set({ delayMs: 0 });
  const rawBody = world.payfast.itns.at(-1)?.body ?? '';
  const id = await recordPaymentNotification(world.db, world.app.encryptionKeys, {
    provider: 'payfast',
    rawBody: Buffer.from(rawBody),
    sourceIp,
  });
  return { id, rawBody, sourceIp, checks: 0 };
}
