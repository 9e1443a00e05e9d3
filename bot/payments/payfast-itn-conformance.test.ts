import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { orders } from '../../db/schema.js';
import { seedUnpaidOrder } from '../routes/pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../routes/pay/testing/start-payment-world.js';
import { money } from './money.js';
import { payfastItnParameterString, verifyPayfastItnSignature } from './payfast-signature.js';

/** An ITN captured from PayFast's own material (see each file's `source`). */
interface ItnFixture {
  source: string;
  merchantId: string;
  passphrase: string | null;
  body: string;
}

const directory = new URL('./fixtures/payfast/', import.meta.url);
const fixtures = await Promise.all(
  (await readdir(directory))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map(async (name) => ({
      name,
      ...(JSON.parse(await readFile(new URL(name, directory), 'utf8')) as ItnFixture),
    })),
);

describe('PayFast ITNs as PayFast sends them (captured fixtures)', () => {
  it('has fixtures, each naming its public source', () => {
    assert.ok(fixtures.length >= 2);
    for (const fixture of fixtures) assert.match(fixture.source, /https:\/\//, fixture.name);
  });

  for (const fixture of fixtures) {
    const passphrase = fixture.passphrase ?? undefined;
    const fields = new URLSearchParams(fixture.body);

    describe(fixture.name, () => {
      it('verifies with our signature code, and not once any field, the order or the passphrase changes', () => {
        assert.equal(verifyPayfastItnSignature(fixture.body, passphrase), true);
        // The signed string is the body up to the signature, re-encoded exactly as PayFast's PHP encodes it.
        assert.equal(
          `${payfastItnParameterString(fixture.body)}&signature=${fields.get('signature')}`,
          fixture.body,
        );
        const amount = fields.get('amount_gross') ?? '';
        for (const [what, body, phrase] of [
          ['amount', fixture.body.replace(`amount_gross=${amount}`, 'amount_gross=1.00'), passphrase],
          ['an empty field dropped', fixture.body.replace('&item_description=&', '&'), passphrase],
          ['merchant', fixture.body.replace(/merchant_id=\d+/, 'merchant_id=10000999'), passphrase],
          ['passphrase', fixture.body, passphrase ? undefined : 'guess'],
        ] as const) {
          assert.equal(verifyPayfastItnSignature(body, phrase), false, what);
        }
      });

      describe('through the real route, sent by the PayFast sandbox', () => {
        let world: PaymentWorld;
        before(async () => {
          world = await startPaymentWorld({
            payfast: { merchantId: fixture.merchantId, passphrase, merchantKey: 'fixture-key' },
          });
        });
        after(async () => world.close());

        it('pays the order it names, once', async () => {
          const order = await seedUnpaidOrder(world.db, {
            reference: fields.get('m_payment_id') ?? '',
            amountCents: money.parse(fields.get('amount_gross') ?? ''),
          });
          await world.payfast.replay(`${world.url}/webhooks/payfast`, fixture.body);
          await world.checked();
          await world.payfast.replay(`${world.url}/webhooks/payfast`, fixture.body); // PayFast repeats itself
          await world.settled();
          const verdicts = (await world.notifications('payfast')).map((row) => [row.outcome, row.reason]);
          assert.deepEqual(verdicts, [
            ['accepted', `order ${order.reference} paid`],
            ['ignored', `pf_payment_id ${fields.get('pf_payment_id')} was processed before`],
          ]);
          const [paid] = await world.db.select().from(orders).where(eq(orders.id, order.id));
          assert.equal(paid?.status, 'paid');
          const payments = await world.paymentsOf(order.id);
          assert.deepEqual(
            payments.map((p) => [p.providerPaymentId, p.amountCents, p.status]),
            [[fields.get('pf_payment_id'), order.amountCents, 'COMPLETE']],
          );
        });
      });
    });
  }
});
