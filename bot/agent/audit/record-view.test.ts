import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog } from '../../../db/schema.js';
import { createTestDatabase } from '../../../db/test-database.js';
import { recordView, VIEW_WINDOW_MINUTES } from './record-view.js';

const database = await createTestDatabase();
after(() => database.close());
const { db } = database;

const views = (actor: string, subject: string) =>
  db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.actor, actor), eq(auditLog.subject, subject)));

describe('recordView', () => {
  it('records the first look and not the live refreshes that follow it', async () => {
    const [agent, subject] = [randomUUID(), `conversation:${randomUUID()}`];
    for (let refresh = 0; refresh < 5; refresh++) {
      await recordView(db, { actor: agent, action: 'conversation.viewed', subject });
    }
    assert.equal((await views(agent, subject)).length, 1);
  });

  it("records another agent's look, and a look after a pause, as views of their own", async () => {
    const [agent, colleague, subject] = [randomUUID(), randomUUID(), `conversation:${randomUUID()}`];
    await recordView(db, { actor: agent, action: 'conversation.viewed', subject });
    await recordView(db, { actor: colleague, action: 'conversation.viewed', subject });
    assert.equal((await views(colleague, subject)).length, 1);

    await db
      .update(auditLog)
      .set({ at: sql`now() - make_interval(mins => ${VIEW_WINDOW_MINUTES + 1})` })
      .where(eq(auditLog.actor, agent));
    await recordView(db, { actor: agent, action: 'conversation.viewed', subject });
    assert.equal((await views(agent, subject)).length, 2);
  });
});
