import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../../db/create-database.js';
import { auditLog, contacts, filings, orders, paymentNotifications, payments } from '../../../db/schema.js';
import { filingArtefactsDir } from '../../agent/privacy/filing-artefacts-dir.js';
import { type LoggedInAgent, logInAgent } from '../../agent/testing/log-in-agent.js';
import { SEEDED, seedContactHistory } from '../../agent/testing/seed-contact-history.js';
import { buildTestApp, testConfig } from '../../testing/build-test-app.js';

describe('POPIA rights: export and erase a contact', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'contact-rights-'));
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let admin: LoggedInAgent;
  before(async () => {
    t = await buildTestApp({ config: { ...testConfig, dataDir } });
    admin = await logInAgent(t.app, t.database.db, { role: 'admin' });
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const seed = (phone: string, stage: 'paid' | 'unpaid' | 'filing') =>
    seedContactHistory(t.database.db, { phone, keys: t.app.encryptionKeys, dataDir, stage });
  const exportOf = (phone: string, headers = admin.headers) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/agent/contacts/${encodeURIComponent(phone)}/export`,
      headers,
    });
  const erase = (phone: string, headers = admin.headers) =>
    t.app.inject({ method: 'DELETE', url: `/api/v1/agent/contacts/${encodeURIComponent(phone)}`, headers });

  it('is for admins only, and validates the phone number', async () => {
    await seed('+27821110001', 'paid');
    assert.equal((await exportOf('+27821110001', {})).statusCode, 401);
    const agent = await logInAgent(t.app, t.database.db);
    assert.equal((await exportOf('+27821110001', agent.headers)).statusCode, 403);
    assert.equal((await erase('+27821110001', agent.headers)).statusCode, 403);
    const noCsrf = await erase('+27821110001', { cookie: admin.cookie });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().error, 'invalid_csrf_token');
    const invalid = await exportOf('not-a-phone');
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().error, 'invalid_phone');
    assert.equal((await exportOf('+27829999999')).statusCode, 404);
  });

  it('exports everything held about the phone, decrypted, with the consent, and audits the export', async () => {
    const seeded = await seed('+27821110002', 'paid');
    // The digits alone name the same person.
    const response = await exportOf('27821110002');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    const data = response.json();
    assert.equal(data.contact.phone, '+27821110002');
    assert.equal(data.contact.name, SEEDED.name);
    assert.equal(data.contact.consent.version, 'popia-2026-01');
    assert.ok(data.contact.consent.givenAt);
    assert.equal(data.conversation.state.context.idNumber, SEEDED.idNumber);
    assert.deepEqual(
      data.transcript.map((m: { body: { text: string } }) => m.body.text),
      [SEEDED.email, `ID ${SEEDED.idNumber}, ${SEEDED.fasLine}`],
    );
    assert.equal(data.events[0].payload.text, SEEDED.idNumber);
    assert.equal(data.outbox[0].payload.text, `Thanks ${SEEDED.name}`);
    assert.equal(data.agentNotes[0].body.text, `${SEEDED.name} prefers email`);
    const paid = data.orders.find((o: { id: string }) => o.id === seeded.orderId);
    assert.equal(paid.email, SEEDED.email);
    assert.equal(paid.financialStatements.accountingOfficer, SEEDED.fasLine);
    assert.equal(paid.payToken, undefined, 'the pay link is a credential, not data about the person');
    assert.equal(data.payments.length, 1);
    assert.match(data.paymentNotifications[0].rawBody, /email_address=payer\.thandi/);
    assert.deepEqual(data.filings[0].arReferences, ['AR2024/0001234']);
    assert.deepEqual(
      data.filingArtefacts.map((a: { file: string }) => a.file),
      ['001-login.png'],
    );
    const [audit] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, `contact:${seeded.contactId}`));
    assert.equal(audit?.action, 'contact.exported');
    assert.equal(audit?.actor, admin.agentId);
  });

  it('refuses to erase while a paid filing is in progress, changing nothing', async () => {
    await seed('+27821110003', 'filing');
    const response = await erase('+27821110003');
    assert.equal(response.statusCode, 409, response.body);
    assert.equal(response.json().error, 'filing_in_progress');
    const [contact] = await t.database.db.select().from(contacts).where(eq(contacts.phone, '+27821110003'));
    assert.equal(contact?.name, SEEDED.name);
  });

  it('erases the personal data, keeps the financial records, and audits the erasure', async () => {
    const seeded = await seed('+27821110004', 'paid');
    const db = t.database.db;
    const response = await erase('+27821110004');
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json().kept, { orders: 1, payments: 1, filings: 1 });
    assert.equal(response.json().erased.orders, 1, 'the expired quote is not a financial record');

    const [contact] = await db.select().from(contacts).where(eq(contacts.id, seeded.contactId));
    assert.equal(contact?.phone, `erased:${seeded.contactId}`);
    assert.equal(contact?.name, null);
    assert.ok(contact?.erasedAt && contact.optedOutAt);
    // Nothing of the person is left anywhere in this conversation's rows, sealed or not.
    const leftovers = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from (
            select body::text as t from messages where conversation_id = ${seeded.conversationId}
            union all select payload::text from events where conversation_id = ${seeded.conversationId}
            union all select payload::text from outbox where conversation_id = ${seeded.conversationId}
            union all select coalesce(snapshot::text, '') from conversations where id = ${seeded.conversationId}
            union all select payload::text from reminders where conversation_id = ${seeded.conversationId}
            union all select body::text from conversation_notes where conversation_id = ${seeded.conversationId}
          ) rows where t like '%sealed%' or t like '%Thandi%'`,
    );
    assert.equal(leftovers[0]?.n, 0);

    const [order] = await db
      .select()
      .from(orders)
      .where(eq(orders.id, seeded.orderId as string));
    assert.equal(order?.amountCents, 29_900);
    assert.equal(order?.reference, seeded.reference);
    assert.equal(order?.registrationNumber, '2019/123456/07');
    assert.equal(order?.emailEncrypted, null);
    assert.equal(order?.fasEncrypted, null);
    assert.equal((await db.select().from(orders).where(eq(orders.id, seeded.quoteId))).length, 0);
    const [payment] = await db
      .select()
      .from(payments)
      .where(eq(payments.orderId, seeded.orderId as string));
    assert.equal(payment?.amountCents, 29_900);
    const [notification] = await db
      .select()
      .from(paymentNotifications)
      .where(eq(paymentNotifications.id, payment?.notificationId as number));
    const itn = new URLSearchParams(notification?.rawBody.toString('utf8'));
    assert.equal(itn.get('pf_payment_id'), payment?.providerPaymentId);
    assert.equal(itn.get('amount_gross'), '299.00');
    assert.equal(itn.get('email_address'), null);
    assert.equal(itn.get('name_first'), null);
    const [filing] = await db
      .select()
      .from(filings)
      .where(eq(filings.orderId, seeded.orderId as string));
    assert.deepEqual(filing?.arReferences, ['AR2024/0001234']);
    assert.equal(JSON.stringify(filing?.milestones).includes('Thandi'), false);
    assert.equal(existsSync(filingArtefactsDir(dataDir, seeded.orderId)), false);

    const audit = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, `contact:${seeded.contactId}`));
    assert.ok(audit.some((row) => row.action === 'contact.erased' && row.actor === admin.agentId));
    assert.equal((await exportOf('+27821110004')).statusCode, 404, 'the phone number names nobody now');
    assert.equal((await erase('+27821110004')).statusCode, 404);
  });
});
