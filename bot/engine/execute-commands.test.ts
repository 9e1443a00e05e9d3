import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { reminders } from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import type { ConversationCommand } from '../../flows/conversation/conversation-command.js';
import { type CommandContext, executeCommands } from './execute-commands.js';
import { findOrCreateConversation } from './find-or-create-conversation.js';

const ACME_REMINDER = {
  kind: 'annualReturnOpens',
  registrationNumber: '2019/123456/07',
  companyName: 'ACME TRADING (PTY) LTD',
  annualReturn: { year: 2027, opens: '2027-03-14', due: '2027-04-29' },
} as const;
const remind = (reminder: typeof ACME_REMINDER | { registrationNumber: string }): ConversationCommand => ({
  type: 'scheduleReminder',
  dueAt: '2027-03-14T06:00:00.000Z',
  reminder: { ...ACME_REMINDER, ...reminder },
});
const REMIND = remind(ACME_REMINDER);
const NO_THANKS: ConversationCommand = {
  type: 'cancelReminders',
  kind: 'annualReturnOpens',
  registrationNumber: '2019/123456/07',
};

describe('executeCommands: reminders', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => database.close());

  let sequence = 0;
  async function newConversation(): Promise<string> {
    const phone = `+2782555${String(++sequence).padStart(4, '0')}`;
    return database.db.transaction(async (tx) => (await findOrCreateConversation(tx, phone)).conversationId);
  }

  /** Carries out `commands` as the engine does: in a transaction of their own, at `at`. */
  async function execute(conversationId: string, commands: ConversationCommand[], at: string) {
    await database.db.transaction(async (tx) => {
      const ctx: CommandContext = {
        tx,
        conversationId,
        contactId: '',
        phone: '+27825550000',
        userName: 'Thandi',
        at,
        encryptionKeys: [randomBytes(32)],
        publicBaseUrl: 'http://localhost',
        payTokenTtlMs: 3_600_000,
        outbox: [],
      };
      assert.deepEqual(await executeCommands(ctx, commands), []);
      assert.deepEqual(ctx.outbox, []);
    });
  }
  const remindersOf = (conversationId: string) =>
    database.db.select().from(reminders).where(eq(reminders.conversationId, conversationId));

  it('schedules a reminder once, however often the command is carried out', async () => {
    const conversationId = await newConversation();
    await execute(conversationId, [REMIND], '2026-11-21T09:00:00Z');
    await execute(conversationId, [REMIND], '2026-11-21T09:00:05Z');
    const rows = await remindersOf(conversationId);
    assert.equal(rows.length, 1);
    assert.deepEqual(
      rows.map(({ kind, registrationNumber, dueAt, payload, sentAt, cancelledAt }) => ({
        kind,
        registrationNumber,
        dueAt: dueAt.toISOString(),
        payload,
        sentAt,
        cancelledAt,
      })),
      [
        {
          kind: 'annualReturnOpens',
          registrationNumber: '2019/123456/07',
          dueAt: '2027-03-14T06:00:00.000Z',
          payload: ACME_REMINDER,
          sentAt: null,
          cancelledAt: null,
        },
      ],
    );
  });

  it('cancels it on "no thanks", and asking again turns it back on', async () => {
    const conversationId = await newConversation();
    await execute(conversationId, [REMIND], '2026-11-21T09:00:00Z');
    await execute(conversationId, [NO_THANKS], '2026-11-22T09:00:00Z');
    assert.equal(
      (await remindersOf(conversationId))[0]?.cancelledAt?.toISOString(),
      '2026-11-22T09:00:00.000Z',
    );
    await execute(conversationId, [REMIND], '2026-11-23T09:00:00Z');
    const rows = await remindersOf(conversationId);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.cancelledAt, null);
  });

  it("leaves other companies' reminders and one already sent alone", async () => {
    const conversationId = await newConversation();
    const other = remind({ registrationNumber: '1998/012345/23' });
    await execute(conversationId, [REMIND, other], '2026-11-21T09:00:00Z');
    const sentAt = new Date('2027-03-14T06:00:30Z');
    await database.db
      .update(reminders)
      .set({ sentAt })
      .where(
        and(eq(reminders.conversationId, conversationId), eq(reminders.registrationNumber, '2019/123456/07')),
      );
    await execute(conversationId, [NO_THANKS, REMIND], '2027-03-15T09:00:00Z');
    const rows = await remindersOf(conversationId);
    const of = (number: string) => rows.find((row) => row.registrationNumber === number);
    assert.equal(rows.length, 2);
    assert.deepEqual(of('2019/123456/07')?.sentAt, sentAt);
    assert.equal(of('2019/123456/07')?.cancelledAt, null);
    assert.equal(of('1998/012345/23')?.cancelledAt, null);
  });
});
