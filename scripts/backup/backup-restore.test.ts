import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { seedUnpaidOrder } from '../../bot/routes/pay/testing/seed-unpaid-order.js';
import { type PaymentWorld, startPaymentWorld } from '../../bot/routes/pay/testing/start-payment-world.js';
import { postAisensy, userTextEnvelope } from '../../bot/testing/build-test-app.js';
import { createDatabase, type Database, queryRows } from '../../db/create-database.js';
import { contacts, conversations, orders, payments } from '../../db/schema.js';
import { createTestDatabase } from '../../db/test-database.js';
import { backUpDatabase } from './back-up-database.js';
import { NotEmptyError, restoreDatabase } from './restore-database.js';

const serverUrl = process.env.TEST_DATABASE_URL;

interface Journey {
  phone: string;
  conversationId: string;
  orderId: string;
}

/**
 * An owner's WhatsApp message through the real AiSensy webhook (contact, conversation, event), their order,
 * and a PayFast payment through the real checkout, ITN webhook and checks (payment, order paid).
 */
async function journey(world: PaymentWorld): Promise<Journey> {
  const phone = `+2784${String(Date.now() % 1e7).padStart(7, '0')}`;
  const response = await postAisensy(world.app, userTextEnvelope(phone, 'hi'));
  assert.equal(response.statusCode, 200, response.body);
  const [conversation] = await world.db
    .select({ id: conversations.id })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(contacts.phone, phone));
  assert.ok(conversation, 'the webhook stored the conversation');
  const order = await seedUnpaidOrder(world.db, { conversationId: conversation.id });
  await world.payWithPayfast(order.payToken);
  await world.settled();
  assert.equal((await world.paymentsOf(order.id)).length, 1, 'the payment was stored');
  return { phone, conversationId: conversation.id, orderId: order.id };
}

/** The journey's conversation, order and payment, read from a restored database. */
async function assertJourneyIn(database: Database, expected: Journey) {
  const [conversation] = await database.db
    .select({ id: conversations.id })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(contacts.phone, expected.phone));
  assert.equal(conversation?.id, expected.conversationId);
  const [order] = await database.db.select().from(orders).where(eq(orders.id, expected.orderId));
  assert.equal(order?.conversationId, expected.conversationId);
  assert.equal(order?.status, 'paid');
  const paid = await database.db.select().from(payments).where(eq(payments.orderId, expected.orderId));
  assert.equal(paid.length, 1);
  assert.equal(paid[0]?.provider, 'payfast');
  assert.equal(paid[0]?.amountCents, order?.amountCents);
  // The migrations' own bookkeeping came along: migrating the restored database finds nothing to do.
  await database.migrate();
}

describe('npm run backup and npm run restore on PostgreSQL', {
  skip: !serverUrl && 'no TEST_DATABASE_URL (PostgreSQL); the PGlite round trip runs below',
}, () => {
  let world: PaymentWorld;
  let expected: Journey;
  let backupDir: string;
  let backup: string;
  const admin = postgres(serverUrl ?? 'postgres://unused', { max: 1, onnotice: () => {} });
  const cleanups: (() => Promise<unknown>)[] = [];

  before(async () => {
    world = await startPaymentWorld();
    expected = await journey(world);
    backupDir = await mkdtemp(join(tmpdir(), 'cipc-backups-'));
    const [row] = await queryRows<{ name: string }>(world.db, sql`select current_database() as name`);
    const url = new URL(serverUrl as string);
    url.pathname = `/${row?.name}`;
    backup = await backUpDatabase({ url: url.toString() }, backupDir);
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await world?.close();
    await admin.end();
    if (backupDir) await rm(backupDir, { recursive: true, force: true });
  });

  async function emptyDatabase(): Promise<string> {
    const name = `cipc_restore_${randomBytes(6).toString('hex')}`;
    await admin.unsafe(`create database ${name}`);
    cleanups.push(() => admin.unsafe(`drop database if exists ${name} with (force)`));
    const url = new URL(serverUrl as string);
    url.pathname = `/${name}`;
    return url.toString();
  }

  it('writes a timestamped pg_dump custom-format file into BACKUP_DIR', async () => {
    assert.match(backup, /cipc-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.dump$/);
    assert.deepEqual(await readdir(backupDir), [backup.split('/').pop()]);
    assert.ok((await stat(backup)).size > 0);
  });

  it('restores into an empty database where the conversation, order and payment are found', async () => {
    const url = await emptyDatabase();
    await restoreDatabase(backup, { url });
    const restored = await createDatabase({ url });
    cleanups.push(() => restored.close());
    await assertJourneyIn(restored, expected);
  });

  it('refuses a database that holds tables unless forced, and then replaces them', async () => {
    const target = await createTestDatabase();
    cleanups.push(() => target.close());
    await assert.rejects(restoreDatabase(backup, { url: target.url as string }), NotEmptyError);
    assert.equal((await target.db.select().from(orders)).length, 0, 'the refused restore changed nothing');
    await restoreDatabase(backup, { url: target.url as string }, { force: true });
    await assertJourneyIn(target, expected);
  });
});

describe('npm run backup and npm run restore on the embedded PGlite', () => {
  let world: PaymentWorld;
  let expected: Journey;
  let dir: string;
  let backup: string;
  const opened: Database[] = [];

  before(async () => {
    // The PGlite world even when the run has a PostgreSQL server: both stores are backed up in every run.
    const saved = process.env.TEST_DATABASE_URL;
    delete process.env.TEST_DATABASE_URL;
    try {
      world = await startPaymentWorld();
    } finally {
      if (saved !== undefined) process.env.TEST_DATABASE_URL = saved;
    }
    expected = await journey(world);
    dir = await mkdtemp(join(tmpdir(), 'cipc-pglite-backup-'));
    const pglite = (world.db as unknown as { $client: PGlite }).$client;
    backup = await backUpDatabase({ pglite }, join(dir, 'backups'));
  });
  after(async () => {
    for (const database of opened) await database.close();
    await world?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a timestamped PGlite tarball into BACKUP_DIR', async () => {
    assert.match(backup, /cipc-\d{4}-\d{2}-\d{2}T[\d-]+Z\.pglite\.tar\.gz$/);
    assert.ok((await stat(backup)).size > 0);
  });

  it('restores into a fresh directory where the conversation, order and payment are found', async () => {
    const pgliteDir = join(dir, 'restored');
    await restoreDatabase(backup, { pgliteDir });
    const restored = await createDatabase({ pgliteDir });
    opened.push(restored);
    await assertJourneyIn(restored, expected);
    await restored.close();
    opened.pop();

    await assert.rejects(restoreDatabase(backup, { pgliteDir }), NotEmptyError);
    const { movedAside } = await restoreDatabase(backup, { pgliteDir }, { force: true });
    assert.ok(movedAside && (await readdir(movedAside)).length > 0, 'the replaced directory was kept');
    const again = await createDatabase({ pgliteDir });
    opened.push(again);
    await assertJourneyIn(again, expected);
  });
});
