import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Db } from '../../../db/create-database.js';
import { encryptField } from '../../../db/encrypt-field.js';
import {
  agents,
  contacts,
  conversationNotes,
  conversations,
  events,
  filings,
  messages,
  orders,
  outbox,
  paymentNotifications,
  paymentRequests,
  payments,
  reminders,
} from '../../../db/schema.js';
import { type KeyRing, sealJson } from '../../../db/seal-json.js';
import { filingArtefactsDir } from '../privacy/filing-artefacts-dir.js';

/** The personal data a seeded history holds, so a test can look for it after an erasure or a purge. */
export const SEEDED = {
  name: 'Thandi Mokoena',
  email: 'thandi.mokoena@example.co.za',
  idNumber: '8001015009087',
  fasLine: 'Accounting officer: Sizwe Dube',
  payerEmail: 'payer.thandi@example.co.za',
};

export interface SeedOptions {
  phone: string;
  keys: KeyRing;
  /** Where filing artefacts go; none are written without it. */
  dataDir?: string;
  /** When the conversation and everything in it happened. */
  at?: Date;
  /** `paid`: a filed, paid order (a customer); `unpaid`: only an expired quote (a lead); `filing`: paid and still filing. */
  stage: 'paid' | 'unpaid' | 'filing';
}

/**
 * A contact's history as the service stores it, sealed and encrypted as the engine writes it: consent, a
 * transcript and events holding an ID number and an email, a queued command, a reminder, an expired
 * quote, and (paid) a paid order with a PayFast ITN, a payment, a filing with AR references and its
 * screenshots under DATA_DIR.
 */
export async function seedContactHistory(db: Db, options: SeedOptions) {
  const at = options.at ?? new Date();
  const key = options.keys[0] as Buffer;
  const [contact] = await db
    .insert(contacts)
    .values({
      phone: options.phone,
      name: SEEDED.name,
      consentVersion: 'popia-2026-01',
      consentAt: at,
      createdAt: at,
    })
    .returning();
  const contactId = (contact as { id: string }).id;
  const [conversation] = await db
    .insert(conversations)
    .values({
      contactId,
      machineVersion: 1,
      snapshot: sealJson({ context: { email: SEEDED.email, idNumber: SEEDED.idNumber } }, options.keys),
      lastInboundAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  const conversationId = (conversation as { id: string }).id;
  await db.insert(messages).values([
    {
      conversationId,
      direction: 'in',
      author: 'user',
      kind: 'text',
      body: sealJson({ kind: 'text', text: SEEDED.email }, options.keys),
      status: 'received',
      providerMessageId: `wamid.${randomBytes(6).toString('hex')}`,
      createdAt: at,
    },
    {
      conversationId,
      direction: 'out',
      author: 'bot',
      kind: 'text',
      body: sealJson({ kind: 'text', text: `ID ${SEEDED.idNumber}, ${SEEDED.fasLine}` }, options.keys),
      status: 'read',
      createdAt: at,
    },
  ]);
  await db.insert(events).values([
    {
      conversationId,
      dedupeKey: `seed:${randomBytes(6).toString('hex')}`,
      type: 'user.text',
      payload: sealJson({ type: 'user.text', at: at.toISOString(), text: SEEDED.idNumber }, options.keys),
      status: 'processed',
      receivedAt: at,
      processedAt: at,
    },
  ]);
  await db.insert(outbox).values({
    conversationId,
    kind: 'sendMessage',
    payload: sealJson({ text: `Thanks ${SEEDED.name}` }, options.keys, { v: 1 }),
    createdAt: at,
  });
  const [noteTaker] = await db
    .insert(agents)
    .values({
      email: `notes-${randomBytes(4).toString('hex')}@example.test`,
      name: 'Sipho',
      passwordHash: 'x',
    })
    .returning({ id: agents.id });
  await db.insert(conversationNotes).values({
    conversationId,
    agentId: (noteTaker as { id: string }).id,
    body: sealJson({ text: `${SEEDED.name} prefers email` }, options.keys),
    createdAt: at,
  });
  await db.insert(reminders).values({
    conversationId,
    kind: 'annualReturnOpens',
    registrationNumber: '2019/123456/07',
    dueAt: new Date(at.getTime() + 30 * 86_400_000),
    payload: { name: SEEDED.name },
  });
  const orderValues = {
    conversationId,
    registrationNumber: '2019/123456/07',
    companyName: 'ACME TRADING (PTY) LTD',
    years: [{ year: 2024, turnoverBand: 'under-1m', late: false, dueDate: '2024-05-13', feeCents: 10_000 }],
    cipcFeeCents: 10_000,
    serviceFeeCents: 19_900,
    amountCents: 29_900,
    emailEncrypted: encryptField(SEEDED.email, key),
    fasEncrypted: encryptField(JSON.stringify({ accountingOfficer: SEEDED.fasLine }), key),
    payTokenExpiresAt: at,
    createdAt: at,
    updatedAt: at,
  };
  const [quote] = await db
    .insert(orders)
    .values({
      ...orderValues,
      reference: `AR-Q${randomBytes(4).toString('hex')}`,
      payToken: randomBytes(18).toString('base64url'),
      status: 'expired',
    })
    .returning();
  await db
    .insert(paymentRequests)
    .values({ orderId: (quote as { id: string }).id, provider: 'payfast', createdAt: at });
  if (options.stage === 'unpaid') return { contactId, conversationId, quoteId: (quote as { id: string }).id };

  const reference = `AR-P${randomBytes(4).toString('hex')}`;
  const [order] = await db
    .insert(orders)
    .values({
      ...orderValues,
      reference,
      payToken: randomBytes(18).toString('base64url'),
      status: options.stage === 'paid' ? 'filed' : 'filing',
      paidAt: at,
    })
    .returning();
  const orderId = (order as { id: string }).id;
  const pfPaymentId = String(1_000_000 + Math.floor(Math.random() * 1_000_000));
  const itn = new URLSearchParams({
    m_payment_id: reference,
    pf_payment_id: pfPaymentId,
    payment_status: 'COMPLETE',
    item_name: 'CIPC annual return',
    amount_gross: '299.00',
    name_first: 'Thandi',
    name_last: 'Mokoena',
    email_address: SEEDED.payerEmail,
    merchant_id: '10000100',
    signature: 'f'.repeat(32),
  }).toString();
  const [notification] = await db
    .insert(paymentNotifications)
    .values({ provider: 'payfast', rawBody: Buffer.from(itn), outcome: 'accepted', receivedAt: at })
    .returning();
  await db.insert(payments).values({
    orderId,
    provider: 'payfast',
    providerPaymentId: pfPaymentId,
    amountCents: 29_900,
    status: 'COMPLETE',
    notificationId: (notification as { id: number }).id,
    createdAt: at,
  });
  await db.insert(filings).values({
    orderId,
    workflowId: `filing-${orderId}`,
    status: options.stage === 'paid' ? 'filed' : 'running',
    milestones: [{ at: at.toISOString(), milestone: 'loggedIn', detail: { note: `for ${SEEDED.name}` } }],
    arReferences: options.stage === 'paid' ? ['AR2024/0001234'] : [],
    createdAt: at,
    updatedAt: at,
  });
  if (options.dataDir) {
    const dir = filingArtefactsDir(options.dataDir, orderId);
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/001-login.png`, Buffer.from('not really a png'));
  }
  return { contactId, conversationId, quoteId: (quote as { id: string }).id, orderId, reference };
}
