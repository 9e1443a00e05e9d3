import type { Db } from '../../../db/create-database.js';
import { conversationNotes } from '../../../db/schema.js';
import { type KeyRing, sealJson } from '../../../db/seal-json.js';
import { httpError } from '../../http-error.js';
import { recordAudit } from '../audit/record-audit.js';
import type { ActingAgent } from './acting-agent.js';
import { lockConversation } from './lock-conversation.js';

/** A private note for the team on a conversation: never sent to the owner, sealed at rest (it may name anyone). */
export async function addConversationNote(
  db: Db,
  keys: KeyRing,
  conversationId: string,
  agent: ActingAgent,
  text: string,
): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    if (!(await lockConversation(tx, conversationId)))
      throw httpError(404, 'not_found', `no conversation ${conversationId}`);
    const [note] = await tx
      .insert(conversationNotes)
      .values({ conversationId, agentId: agent.id, body: sealJson({ text }, keys) })
      .returning({ id: conversationNotes.id });
    await recordAudit(tx, {
      actor: agent.id,
      action: 'conversation.note_added',
      subject: `conversation:${conversationId}`,
    });
    return { id: note?.id as number };
  });
}
