import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq, inArray, sql } from 'drizzle-orm';
import pino from 'pino';
import { queryRows } from '../../db/create-database.js';
import {
  agentSessions,
  auditLog,
  contacts,
  conversations,
  events,
  messages,
  orders,
} from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import { filingArtefactsDir } from '../agent/privacy/filing-artefacts-dir.js';
import { seedContactHistory } from '../agent/testing/seed-contact-history.js';
import { createRetentionJob } from './create-retention-job.js';

const DAY_MS = 86_400_000;

describe('the retention job', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'retention-'));
  const keys = [randomBytes(32)];
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('knows every table that points at a contact, conversation, order or filing (erasure and purge cover them)', async () => {
    const references = await queryRows<{ child: string; parent: string }>(
      database.db,
      sql`select conrelid::regclass::text as child, confrelid::regclass::text as parent
          from pg_constraint
          where contype = 'f' and confrelid::regclass::text in ('contacts', 'conversations', 'orders', 'filings')
          order by 2, 1`,
    );
    // A new table here holds data about a person: add it to loadContactData, eraseContact and
    // purgeAbandonedLeads (or say there why it needs nothing), then to this list.
    assert.deepEqual(
      references.map((row) => `${row.parent} <- ${row.child}`),
      [
        'contacts <- conversations',
        'conversations <- conversation_notes',
        'conversations <- events',
        'conversations <- messages',
        'conversations <- orders',
        'conversations <- outbox',
        'conversations <- reminders',
        'conversations <- unhandled_aisensy_deliveries',
        'filings <- filing_actions',
        'orders <- filings',
        'orders <- payment_requests',
        'orders <- payments',
      ],
    );
  });

  it('purges an old abandoned lead, keeps a recent lead and an old customer, and old artefacts go', async () => {
    const db = database.db;
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const oldLead = await seedContactHistory(db, {
      phone: '+27821230001',
      keys,
      stage: 'unpaid',
      at: daysAgo(120),
    });
    const recentLead = await seedContactHistory(db, {
      phone: '+27821230002',
      keys,
      stage: 'unpaid',
      at: daysAgo(30),
    });
    const oldCustomer = await seedContactHistory(db, {
      phone: '+27821230003',
      keys,
      stage: 'paid',
      at: daysAgo(400),
    });
    // An old lead that wrote again last week is not abandoned.
    const revived = await seedContactHistory(db, {
      phone: '+27821230004',
      keys,
      stage: 'unpaid',
      at: daysAgo(120),
    });
    await db.insert(events).values({
      conversationId: revived.conversationId,
      dedupeKey: `revived:${revived.conversationId}`,
      type: 'user.text',
      payload: { erased: true },
      status: 'processed',
      receivedAt: daysAgo(7),
    });

    const oldArtefacts = filingArtefactsDir(dataDir, oldCustomer.orderId);
    mkdirSync(oldArtefacts, { recursive: true });
    utimesSync(oldArtefacts, daysAgo(400), daysAgo(400));
    const recentArtefacts = filingArtefactsDir(dataDir, 'recent-order');
    mkdirSync(recentArtefacts, { recursive: true });
    await db.insert(agentSessions).values([
      { id: 'expired', data: {}, expiresAt: daysAgo(1) },
      { id: 'live', data: {}, expiresAt: new Date(now.getTime() + DAY_MS) },
    ]);

    const job = createRetentionJob({
      db,
      config: { dataDir, retention: { leadDays: 90, artefactDays: 365 } },
      logger: pino({ level: 'silent' }),
      now: () => now,
    });
    assert.deepEqual(await job.runOnce(), { leads: 1, artefacts: 1, sessions: 1 });

    const remaining = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        inArray(conversations.id, [
          oldLead.conversationId,
          recentLead.conversationId,
          oldCustomer.conversationId,
          revived.conversationId,
        ]),
      );
    assert.deepEqual(
      new Set(remaining.map((row) => row.id)),
      new Set([recentLead.conversationId, oldCustomer.conversationId, revived.conversationId]),
    );
    assert.equal((await db.select().from(contacts).where(eq(contacts.id, oldLead.contactId))).length, 0);
    assert.equal(
      (await db.select().from(messages).where(eq(messages.conversationId, oldLead.conversationId))).length,
      0,
    );
    assert.equal((await db.select().from(orders).where(eq(orders.id, oldLead.quoteId))).length, 0);
    assert.equal(
      (await db.select().from(orders).where(eq(orders.conversationId, oldCustomer.conversationId))).length,
      2,
    );
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, `conversation:${oldLead.conversationId}`));
    assert.equal(audit?.action, 'lead.purged');
    assert.equal(audit?.actor, 'system');

    assert.equal(existsSync(oldArtefacts), false);
    assert.equal(existsSync(recentArtefacts), true);
    assert.deepEqual(
      (await db.select({ id: agentSessions.id }).from(agentSessions)).map((row) => row.id),
      ['live'],
    );
    assert.deepEqual(
      await job.runOnce(),
      { leads: 0, artefacts: 0, sessions: 0 },
      'a second pass finds nothing',
    );
  });
});
