import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/create-database.js';
import { contacts, conversations } from '../../db/schema.js';

/** The contact for an E.164 phone and its one conversation, created on first contact; race-safe. */
export async function findOrCreateConversation(
  tx: Tx,
  phone: string,
): Promise<{ contactId: string; conversationId: string }> {
  await tx.insert(contacts).values({ phone }).onConflictDoNothing({ target: contacts.phone });
  const [contact] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.phone, phone));
  if (!contact) throw new Error(`contact ${phone} vanished`);
  // Version 0 with no snapshot: the engine starts the machine on the first event.
  await tx
    .insert(conversations)
    .values({ contactId: contact.id, machineVersion: 0 })
    .onConflictDoNothing({ target: conversations.contactId });
  const [conversation] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.contactId, contact.id));
  if (!conversation) throw new Error(`conversation of ${phone} vanished`);
  return { contactId: contact.id, conversationId: conversation.id };
}
