import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { contacts, events, reminders } from '../../db/schema.js';
import { EVENT_PAYLOAD_VERSION } from '../../db/store-event.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import type { ConversationCommand } from '../../flows/conversation/conversation-command.js';
import { executeCommands } from '../engine/execute-commands.js';
import { findOrCreateConversation } from '../engine/find-or-create-conversation.js';
import { storeDueReminders } from './store-due-reminders.js';

const ACME_REMINDER = {
  kind: 'annualReturnOpens',
  registrationNumber: '2019/123456/07',
  companyName: 'ACME TRADING (PTY) LTD',
  annualReturn: { year: 2027, opens: '2027-03-14', due: '2027-04-29' },
} as const;
const DUE_AT = '2027-03-14T06:00:00.000Z';
const ASKED_AT = '2026-11-21T09:00:00Z';
const minutesAfterDue = (minutes: number) => new Date(Date.parse(DUE_AT) + minutes * 60_000);

describe('storeDueReminders', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => database.close());

  let sequence = 0;
  /** A conversation whose machine asked for ACME's reminder (and, with `thenNo`, said no to it later). */
  async function remindedConversation(options: { thenNo?: true } = {}) {
    const phone = `+2782666${String(++sequence).padStart(4, '0')}`;
    return database.db.transaction(async (tx) => {
      const { contactId, conversationId } = await findOrCreateConversation(tx, phone);
      const commands: ConversationCommand[] = [
        { type: 'scheduleReminder', dueAt: DUE_AT, reminder: ACME_REMINDER },
      ];
      if (options.thenNo) {
        commands.push({
          type: 'cancelReminders',
          kind: 'annualReturnOpens',
          registrationNumber: ACME_REMINDER.registrationNumber,
        });
      }
      await executeCommands(
        {
          tx,
          conversationId,
          contactId,
          phone,
          userName: 'Thandi',
          at: ASKED_AT,
          encryptionKeys: [randomBytes(32)],
          publicBaseUrl: 'http://localhost',
          payTokenTtlMs: 3_600_000,
          outbox: [],
        },
        commands,
      );
      return { contactId, conversationId };
    });
  }
  const eventsOf = (conversationId: string) =>
    database.db
      .select()
      .from(events)
      .where(eq(events.conversationId, conversationId))
      .orderBy(asc(events.id));
  const reminderOf = async (conversationId: string) =>
    (await database.db.select().from(reminders).where(eq(reminders.conversationId, conversationId)))[0];

  it('stores one reminder.due when the reminder comes due, none before, and still one when run again', async () => {
    const { conversationId } = await remindedConversation();
    assert.ok(!(await storeDueReminders(database.db, minutesAfterDue(-1))).includes(conversationId));
    assert.deepEqual(await eventsOf(conversationId), []);

    assert.ok((await storeDueReminders(database.db, minutesAfterDue(0))).includes(conversationId));
    // Again, and on two replicas at once.
    const again = await Promise.all([
      storeDueReminders(database.db, minutesAfterDue(1)),
      storeDueReminders(database.db, minutesAfterDue(1)),
      storeDueReminders(database.db, minutesAfterDue(60)),
    ]);
    assert.ok(again.every((conversations) => !conversations.includes(conversationId)));

    const stored = await eventsOf(conversationId);
    assert.deepEqual(
      stored.map(({ type, status, payload }) => ({ type, status, payload })),
      [
        {
          type: 'reminder.due',
          status: 'pending',
          payload: { type: 'reminder.due', at: DUE_AT, reminder: ACME_REMINDER, v: EVENT_PAYLOAD_VERSION },
        },
      ],
    );
    const reminder = await reminderOf(conversationId);
    assert.equal(stored[0]?.dedupeKey, `reminder:${reminder?.id}:due`);
    assert.equal(reminder?.sentAt?.toISOString(), DUE_AT);
    assert.equal(reminder?.cancelledAt, null);
  });

  it('cancels the reminder instead when the owner has opted out by then', async () => {
    const { contactId, conversationId } = await remindedConversation();
    await database.db
      .update(contacts)
      .set({ optedOutAt: new Date(ASKED_AT) })
      .where(eq(contacts.id, contactId));
    assert.ok(!(await storeDueReminders(database.db, minutesAfterDue(5))).includes(conversationId));
    await database.db.update(contacts).set({ optedOutAt: null }).where(eq(contacts.id, contactId));
    await storeDueReminders(database.db, minutesAfterDue(10));
    assert.deepEqual(await eventsOf(conversationId), []);
    const reminder = await reminderOf(conversationId);
    assert.equal(reminder?.cancelledAt?.toISOString(), minutesAfterDue(5).toISOString());
    assert.equal(reminder?.sentAt, null);
  });

  it('stores nothing for a reminder the owner said no to', async () => {
    const { conversationId } = await remindedConversation({ thenNo: true });
    await storeDueReminders(database.db, minutesAfterDue(5));
    assert.deepEqual(await eventsOf(conversationId), []);
  });
});
