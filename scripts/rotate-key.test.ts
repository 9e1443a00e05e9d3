import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { asc, eq } from 'drizzle-orm';
import { receiveInboundMessage } from '../bot/engine/receive-inbound-message.js';
import { sealOutboxPayload } from '../bot/outbox/seal-outbox-payload.js';
import { recordPaymentNotification } from '../bot/payments/record-payment-notification.js';
import { insertConversation } from '../bot/testing/insert-conversation.js';
import { createDatabase, type Db } from '../db/create-database.js';
import { decryptField, encryptField, keyIdIn, keyIdOf } from '../db/encrypt-field.js';
import { conversations, events, messages, orders, outbox, paymentNotifications } from '../db/schema.js';
import { openBytes, sealBytes, sealedBytesKeyId } from '../db/seal-bytes.js';
import { type KeyRing, openJson, sealJson } from '../db/seal-json.js';
import { createTestDatabase } from '../db/test-database.js';
import { reencryptArtefacts } from './rotate-key/reencrypt-artefacts.js';
import { reencryptDatabase } from './rotate-key/reencrypt-database.js';

const run = promisify(execFile);
const ID_NUMBER = '8001015009087';
const EMAIL = 'thandi@example.co.za';

/** Personal data in every place it is kept, sealed under `keys[0]`, plus rows written before sealing. */
async function seed(db: Db, keys: KeyRing, dataDir: string) {
  const phone = `+2782${Math.floor(Math.random() * 1e7)}`;
  const conversationId = await insertConversation(db, phone, {
    snapshot: sealJson({ context: { idNumber: ID_NUMBER } }, keys),
  });
  await receiveInboundMessage(db, keys, {
    phone,
    providerMessageId: `wamid.${randomBytes(4).toString('hex')}`,
    event: { type: 'user.text', at: new Date().toISOString(), text: `my ID is ${ID_NUMBER}` },
    raw: { text: ID_NUMBER },
  });
  // Written in the clear by a version before sealing: the rotation seals them.
  await db.insert(events).values({
    conversationId,
    dedupeKey: `legacy:${randomBytes(4).toString('hex')}`,
    type: 'user.text',
    payload: { type: 'user.text', at: new Date().toISOString(), text: EMAIL },
    status: 'processed',
  });
  await db.insert(messages).values({
    conversationId,
    direction: 'out',
    author: 'bot',
    kind: 'text',
    body: { kind: 'text', text: `Sent to ${EMAIL}` },
    status: 'sent',
  });
  await db.insert(outbox).values({
    conversationId,
    kind: 'whatsapp.send',
    payload: sealOutboxPayload(
      'whatsapp.send',
      { phone, userName: 'Thandi', message: { kind: 'text', text: ID_NUMBER }, messageRowId: 1 },
      keys,
    ),
  });
  await db.insert(orders).values({
    reference: `AR-${randomBytes(4).toString('hex')}`,
    conversationId,
    registrationNumber: '2019/123456/07',
    companyName: 'ACME TRADING (PTY) LTD',
    years: [],
    cipcFeeCents: 0,
    serviceFeeCents: 0,
    amountCents: 0,
    emailEncrypted: encryptField(EMAIL, keys[0] as Buffer),
    fasEncrypted: encryptField(JSON.stringify({ accountingOfficer: ID_NUMBER }), keys[0] as Buffer),
    payToken: randomBytes(8).toString('hex'),
    payTokenExpiresAt: new Date(),
  });
  await recordPaymentNotification(db, keys, {
    provider: 'payfast',
    rawBody: Buffer.from(`email_address=${encodeURIComponent(EMAIL)}`),
    sourceIp: '127.0.0.1',
  });
  const dir = join(dataDir, 'audit', conversationId);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '001-fas.png.sealed'), sealBytes(Buffer.from(`PNG ${ID_NUMBER}`), keys));
  return conversationId;
}

/** Everything seeded, opened with `keys` (throws when a value is under a key the ring lacks). */
async function readAll(db: Db, keys: KeyRing, dataDir: string, conversationId: string) {
  const [conversation] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
  const eventRows = await db
    .select()
    .from(events)
    .where(eq(events.conversationId, conversationId))
    .orderBy(asc(events.id));
  const messageRows = await db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.id));
  const outboxRows = await db.select().from(outbox).where(eq(outbox.conversationId, conversationId));
  const [order] = await db.select().from(orders).where(eq(orders.conversationId, conversationId));
  const notifications = await db.select().from(paymentNotifications).orderBy(asc(paymentNotifications.id));
  return {
    snapshot: openJson(conversation?.snapshot, keys),
    events: eventRows.map((row) => openJson(row.payload, keys)),
    messages: messageRows.map((row) => openJson(row.body, keys)),
    outbox: outboxRows.map((row) => openJson(row.payload, keys)),
    email: decryptField(order?.emailEncrypted as string, keys),
    fas: decryptField(order?.fasEncrypted as string, keys),
    rawBodies: notifications.map((row) => openBytes(Buffer.from(row.rawBody), keys).toString('utf8')),
    artefact: openBytes(
      await readFile(join(dataDir, 'audit', conversationId, '001-fas.png.sealed')),
      keys,
    ).toString('utf8'),
  };
}

for (const where of ['the test database', 'the embedded PGlite'] as const) {
  describe(`npm run rotate-key on ${where}`, () => {
    it('moves every value from key A to key B: readable with [B, A] before, with [B] alone after, and a second run changes nothing', async () => {
      const database = where === 'the test database' ? await createTestDatabase() : await createDatabase({});
      if (where === 'the embedded PGlite') await database.migrate();
      const dataDir = await mkdtemp(join(tmpdir(), 'rotate-key-'));
      after(async () => {
        await database.close();
        await rm(dataDir, { recursive: true, force: true });
      });
      const a = randomBytes(32);
      const b = randomBytes(32);
      const conversationId = await seed(database.db, [a], dataDir);
      const before = await readAll(database.db, [a], dataDir, conversationId);
      assert.deepEqual(await readAll(database.db, [b, a], dataDir, conversationId), before);
      await assert.rejects(readAll(database.db, [b], dataDir, conversationId), /no key with id/);

      const counts = await reencryptDatabase(database.db, [b, a], { batchSize: 2 });
      const artefacts = await reencryptArtefacts(dataDir, [b, a]);
      assert.deepEqual(artefacts, { scanned: 1, changed: 1 });
      assert.equal(counts['conversations.snapshot']?.changed, 1);
      assert.equal(
        counts['events.payload']?.changed,
        2,
        'the sealed event re-encrypted, the clear one sealed',
      );
      assert.equal(counts['messages.body']?.changed, 2);
      assert.equal(counts['outbox.payload']?.changed, 1);
      assert.equal(counts['orders.email_encrypted']?.changed, 1);
      assert.equal(counts['orders.fas_encrypted']?.changed, 1);
      assert.equal(counts['payment_notifications.raw_body']?.changed, 1);

      assert.deepEqual(await readAll(database.db, [b], dataDir, conversationId), before, 'key A can go');
      const [order] = await database.db.select().from(orders);
      assert.equal(keyIdIn(order?.emailEncrypted as string), keyIdOf(b));
      const [notification] = await database.db.select().from(paymentNotifications);
      assert.equal(sealedBytesKeyId(Buffer.from(notification?.rawBody as Buffer)), keyIdOf(b));

      const again = await reencryptDatabase(database.db, [b, a]);
      for (const [column, count] of Object.entries(again))
        assert.equal(count.changed, 0, `${column}: nothing left`);
      assert.deepEqual(await reencryptArtefacts(dataDir, [b]), { scanned: 1, changed: 0 });
    });
  });
}

describe('the rotate-key script', {
  skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL',
}, () => {
  it('reports counts per table and artefact files, then nothing left to change', async () => {
    const database = await createTestDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), 'rotate-key-script-'));
    after(async () => {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    const a = randomBytes(32);
    const b = randomBytes(32);
    const conversationId = await seed(database.db, [a], dataDir);
    const rotate = () =>
      run(process.execPath, ['--import', 'tsx', 'scripts/rotate-key.ts'], {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'development',
          LOG_LEVEL: 'silent',
          DATABASE_URL: database.url,
          DATA_DIR: dataDir,
          ENCRYPTION_KEYS: `${b.toString('hex')},${a.toString('base64')}`,
        },
      });
    const first = await rotate();
    assert.match(first.stdout, /messages\.body\s+2 looked at\s+2 changed/);
    assert.match(first.stdout, /DATA_DIR\/audit files\s+1 looked at\s+1 changed/);
    const second = await rotate();
    assert.match(second.stdout, /everything is under the newest key/);
    assert.ok((await readAll(database.db, [b], dataDir, conversationId)).email === EMAIL);
  });
});
