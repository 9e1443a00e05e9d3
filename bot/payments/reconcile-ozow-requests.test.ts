import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversations, orders } from '../../db/schema.js';
import { seedUnpaidOrder } from '../routes/pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../routes/pay/testing/start-payment-world.js';
import { createOzowClient } from './create-ozow-client.js';
import { reconcileOzowRequests } from './reconcile-ozow-requests.js';

describe('reconcileOzowRequests', () => {
  let world: PaymentWorld;
  before(async () => {
    world = await startPaymentWorld();
  });
  after(async () => world.close());
  beforeEach(() => world.ozow.reset());

  const reconcile = () =>
    reconcileOzowRequests({
      db: world.db,
      client: createOzowClient(world.config.ozow),
      logger: { warn: () => {} },
      now: () => new Date(),
      olderThanMs: 0,
    });
  const orderOf = async (id: string) => (await world.db.select().from(orders).where(eq(orders.id, id)))[0];

  it('pays with the Complete attempt of the right amount whatever order Ozow lists them in, and flags the other', async () => {
    const order = await seedUnpaidOrder(world.db);
    // Two attempts on one reference, both Complete, both notifications lost: the order's amount first,
    // then one R1.00 short. Ozow lists the short one first (newest first in the sandbox).
    world.ozow.set({ delayMs: 600_000 });
    await world.payWithOzow(order.payToken);
    world.ozow.set({ wrongAmount: true });
    await world.payWithOzow(order.payToken);
    const [right, short] = world.ozow.notifications.map((n) => n.transactionId);

    await reconcile();

    const [payment] = await world.paymentsOf(order.id);
    assert.equal(payment?.providerPaymentId, right);
    assert.deepEqual(
      (await world.eventsOf(order.conversationId)).map((e) => e.type),
      ['payment.confirmed'],
    );
    // The short payment is real money too: a person refunds it.
    assert.equal((await orderOf(order.id))?.status, 'needs_agent');
    const [conversation] = await world.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, order.conversationId));
    assert.match(conversation?.needsAgent ?? '', new RegExp(`${short}.*paid R798\\.00`));
  });
});
