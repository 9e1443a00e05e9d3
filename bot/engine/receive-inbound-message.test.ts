import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { contacts } from '../../db/schema.js';
import { createTestDatabase } from '../../db/test-database.js';
import { receiveInboundMessage } from './receive-inbound-message.js';

const database = await createTestDatabase();
after(() => database.close());
const keys = [randomBytes(32)];

function message(phone: string, profileName?: string) {
  return {
    phone,
    providerMessageId: `wamid.${randomBytes(6).toString('hex')}`,
    profileName,
    event: { type: 'user.text' as const, at: new Date().toISOString(), text: 'hi' },
    raw: { text: 'hi' },
  };
}

async function nameOf(phone: string) {
  const [row] = await database.db
    .select({ name: contacts.name })
    .from(contacts)
    .where(eq(contacts.phone, phone));
  return row?.name;
}

describe('receiveInboundMessage', () => {
  it('names a new contact by its WhatsApp profile name, so agents and templates know who wrote', async () => {
    const phone = '+27821110001';
    await receiveInboundMessage(database.db, keys, message(phone, '  Thandi Nkosi '));
    assert.equal(await nameOf(phone), 'Thandi Nkosi');
  });

  it('keeps a name the contact already has and ignores a blank profile name', async () => {
    const phone = '+27821110002';
    await receiveInboundMessage(database.db, keys, message(phone, ' '));
    assert.equal(await nameOf(phone), null);
    await receiveInboundMessage(database.db, keys, message(phone, 'Sipho'));
    await receiveInboundMessage(database.db, keys, message(phone, 'Sipho M (new profile)'));
    assert.equal(await nameOf(phone), 'Sipho');
  });
});
