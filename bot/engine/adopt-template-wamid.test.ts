import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { messages } from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import { insertBotMessage } from '../testing/insert-bot-message.js';
import { insertConversation } from '../testing/insert-conversation.js';
import { applyDeliveryStatus } from './apply-delivery-status.js';

describe("a template's delivery statuses, matched by phone and send time", () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  let phones = 0;
  /** A chat whose outbound messages are given as [AiSensy submission id or wamid, sent at]. */
  async function chat(sent: { submittedId?: string; wamid?: string; at: Date; status?: 'sent' | 'read' }[]) {
    const phone = `+2784000${String(++phones).padStart(4, '0')}`;
    const conversationId = await insertConversation(database.db, phone);
    const ids: number[] = [];
    for (const message of sent) {
      ids.push(
        await insertBotMessage(
          database.db,
          conversationId,
          { kind: 'text', text: 'update' },
          {
            status: message.status ?? 'sent',
            submittedMessageId: message.submittedId ?? null,
            providerMessageId: message.wamid ?? null,
            sentAt: message.at,
          },
        ),
      );
    }
    return { phone, ids };
  }

  const rowOf = async (id: number) => {
    const [row] = await database.db.select().from(messages).where(eq(messages.id, id));
    assert.ok(row);
    return row;
  };
  const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

  it("gives each new wamid the oldest template to that phone still without one, and no other phone's", async () => {
    const t0 = new Date();
    const { phone, ids } = await chat([
      { submittedId: 'sub-a', at: t0 },
      { submittedId: 'sub-b', at: at(t0, 2) },
    ]);
    const other = await chat([{ submittedId: 'sub-c', at: t0 }]);
    const status = (wamid: string, state: 'sent' | 'read', sentAt: Date) =>
      applyDeliveryStatus(database.db, {
        providerMessageId: wamid,
        status: state,
        template: { phone, sentAt },
      });
    // The rows say `sent` already: a `sent` status only gives them their wamid.
    await status('wamid.A', 'sent', at(t0, 1));
    await status('wamid.B', 'sent', at(t0, 3));
    assert.deepEqual(await status('wamid.A', 'read', at(t0, 1)), { changed: true });
    const [a, b] = [await rowOf(ids[0] as number), await rowOf(ids[1] as number)];
    assert.deepEqual([a.providerMessageId, a.status], ['wamid.A', 'read']);
    assert.deepEqual([b.providerMessageId, b.status], ['wamid.B', 'sent']);
    assert.equal((await rowOf(other.ids[0] as number)).providerMessageId, null);
  });

  it('leaves a template untracked when the first status it sees was sent long after it', async () => {
    const t0 = new Date(Date.now() - 3 * 3_600_000);
    const { phone, ids } = await chat([{ submittedId: 'sub-old', at: t0 }]);
    const result = await applyDeliveryStatus(database.db, {
      providerMessageId: 'wamid.much-later',
      status: 'delivered',
      template: { phone, sentAt: at(t0, 3600) },
    });
    assert.deepEqual(result, { changed: false });
    const row = await rowOf(ids[0] as number);
    assert.deepEqual([row.providerMessageId, row.status], [null, 'sent']);
  });

  it('never hands a template the wamid of a message we know, even when its status changes nothing', async () => {
    const t0 = new Date();
    const { phone, ids } = await chat([
      { wamid: 'wamid.session', at: t0, status: 'read' },
      { submittedId: 'sub-d', at: at(t0, 1) },
    ]);
    const result = await applyDeliveryStatus(database.db, {
      providerMessageId: 'wamid.session',
      status: 'delivered',
      template: { phone, sentAt: t0 },
    });
    assert.deepEqual(result, { changed: false });
    assert.equal((await rowOf(ids[1] as number)).providerMessageId, null);
  });

  it("adopts once when a template's sent and delivered statuses arrive together", async () => {
    const t0 = new Date();
    const { phone, ids } = await chat([
      { submittedId: 'sub-e', at: t0 },
      { submittedId: 'sub-f', at: at(t0, 1) },
    ]);
    await Promise.all(
      (['sent', 'delivered'] as const).map((status) =>
        applyDeliveryStatus(database.db, {
          providerMessageId: 'wamid.together',
          status,
          template: { phone, sentAt: t0 },
        }),
      ),
    );
    const [first, second] = [await rowOf(ids[0] as number), await rowOf(ids[1] as number)];
    assert.deepEqual([first.providerMessageId, first.status], ['wamid.together', 'delivered']);
    assert.equal(second.providerMessageId, null, 'the next template waits for its own wamid');
  });
});
