import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { conversations, unhandledAisensyDeliveries } from '../../db/schema.js';
import { type KeyRing, sealJson } from '../../db/seal-json.js';
import { findOrCreateConversation } from '../engine/find-or-create-conversation.js';
import type { AisensyEnvelope } from './aisensy-envelope.js';

/**
 * Keeps a signed delivery we cannot act on, raw, once per envelope id (`stored: false` for AiSensy's
 * retry of one already kept). The row is the flag for a person; when it is a user's message and the phone
 * can be read, the user is waiting for an answer, so their conversation is handed to a person too
 * (`needs_agent`, unless it already names an earlier reason). The envelope may hold what a user typed:
 * it is kept sealed (its topic and the reason stay readable).
 */
export async function storeUnhandledDelivery(
  db: Db,
  keys: KeyRing,
  delivery: { envelope: AisensyEnvelope; reason: string; userPhone?: string },
): Promise<{ stored: boolean }> {
  return db.transaction(async (tx) => {
    const conversationId = delivery.userPhone
      ? (await findOrCreateConversation(tx, delivery.userPhone)).conversationId
      : null;
    const [row] = await tx
      .insert(unhandledAisensyDeliveries)
      .values({
        envelopeId: delivery.envelope.id,
        topic: delivery.envelope.topic,
        reason: delivery.reason,
        conversationId,
        body: sealJson(delivery.envelope, keys),
      })
      .onConflictDoNothing({ target: unhandledAisensyDeliveries.envelopeId })
      .returning({ id: unhandledAisensyDeliveries.id });
    if (!row) return { stored: false };
    if (conversationId) {
      const reason = `AiSensy delivered a message we could not read (unhandled_aisensy_deliveries ${row.id}): ${delivery.reason}`;
      await tx
        .update(conversations)
        .set({ needsAgent: sql`coalesce(${conversations.needsAgent}, ${reason})`, updatedAt: new Date() })
        .where(eq(conversations.id, conversationId));
    }
    return { stored: true };
  });
}
