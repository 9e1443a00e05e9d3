import { randomBytes } from 'node:crypto';
import type { Db } from '../../../../db/create-database.js';
import { contacts, conversations, orders } from '../../../../db/schema.js';

let sequence = 0;

/** Test support: a contact, their conversation and an order awaiting payment (R100 + R450 + R199). */
export async function seedUnpaidOrder(
  db: Db,
  overrides: Partial<typeof orders.$inferInsert> & { lastInboundAt?: Date } = {},
) {
  sequence++;
  const { lastInboundAt = new Date(), ...orderOverrides } = overrides;
  const [contact] = await db
    .insert(contacts)
    .values({
      phone: `+2782${String(Date.now() % 1e5).padStart(5, '0')}${String(sequence).padStart(2, '0')}`,
    })
    .returning();
  const [conversation] = await db
    .insert(conversations)
    .values({ contactId: (contact as { id: string }).id, machineVersion: 1, lastInboundAt })
    .returning();
  const [order] = await db
    .insert(orders)
    .values({
      reference: `AR-T${randomBytes(4).toString('hex').toUpperCase()}`,
      conversationId: (conversation as { id: string }).id,
      registrationNumber: '2019/123456/07',
      companyName: 'ACME TRADING (PTY) LTD',
      years: [
        { year: 2023, turnoverBand: 'under-1m', late: true, dueDate: '2023-05-12', feeCents: 15_000 },
        { year: 2024, turnoverBand: '1m-10m', late: false, dueDate: '2024-05-13', feeCents: 45_000 },
      ],
      cipcFeeCents: 60_000,
      serviceFeeCents: 19_900,
      amountCents: 79_900,
      payToken: randomBytes(24).toString('base64url'),
      payTokenExpiresAt: new Date(Date.now() + 72 * 3_600_000),
      ...orderOverrides,
    })
    .returning();
  return order as typeof orders.$inferSelect;
}
