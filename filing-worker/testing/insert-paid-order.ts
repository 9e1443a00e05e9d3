import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/create-database.js';
import { encryptField } from '../../db/encrypt-field.js';
import { contacts, conversations, orders } from '../../db/schema.js';
import type { FasDetails } from '../../flows/conversation/conversation-command.js';
import type { OrderToFile } from '../../flows/filing/file-annual-returns.js';

const fas: FasDetails = {
  recordsKeeper: { name: 'Jane Dube', idNumber: '8001015009087' },
  preparer: { name: 'Dube Accounting CC', idNumber: '2001/012345/23' },
};

/**
 * A paid order with encrypted FAS details (under `key`), its contact and conversation, as the engine
 * leaves it before the filing starts (tests, benchmarks and the fault suite).
 */
export async function insertPaidOrder(
  db: Db,
  key: Buffer,
  registrationNumber: string,
  years: OrderToFile['years'],
  companyName = 'TEST COMPANY',
): Promise<OrderToFile> {
  const [contact] = await db
    .insert(contacts)
    .values({ phone: `+2782${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}` })
    .returning();
  const [conversation] = await db
    .insert(conversations)
    .values({ contactId: contact?.id as string, machineVersion: 1 })
    .returning();
  const cipcFeeCents = years.reduce((sum, y) => sum + y.feeCents, 0);
  const reference = `CA-${randomBytes(4).toString('hex').toUpperCase()}`;
  const [order] = await db
    .insert(orders)
    .values({
      reference,
      conversationId: conversation?.id as string,
      registrationNumber,
      companyName,
      years: years.map((y) => ({
        year: y.year,
        turnoverBand: y.turnoverBandId,
        late: y.late,
        dueDate: `${y.year}-12-31`,
        feeCents: y.feeCents,
      })),
      cipcFeeCents,
      serviceFeeCents: 199_00,
      amountCents: cipcFeeCents + 199_00,
      fasEncrypted: encryptField(JSON.stringify(fas), key),
      payToken: randomUUID(),
      payTokenExpiresAt: new Date(Date.now() + 86_400_000),
      status: 'paid',
    })
    .returning();
  return {
    orderId: order?.id as string,
    conversationId: conversation?.id as string,
    reference,
    registrationNumber,
    years,
    cipcFeeCents,
  };
}
