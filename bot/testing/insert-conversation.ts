import type { Db } from '../../db/create-database.js';
import { contacts, conversations } from '../../db/schema.js';

/** A contact and its conversation written straight to the database, for tests that begin mid-chat. */
export async function insertConversation(
  db: Db,
  phone: string,
  values: Partial<typeof conversations.$inferInsert> = {},
): Promise<string> {
  const [contact] = await db.insert(contacts).values({ phone }).returning({ id: contacts.id });
  const [conversation] = await db
    .insert(conversations)
    .values({ contactId: contact?.id as string, machineVersion: 1, ...values })
    .returning({ id: conversations.id });
  return conversation?.id as string;
}
