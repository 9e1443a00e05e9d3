import { randomUUID } from 'node:crypto';
import type { Tx } from '../../../db/create-database.js';
import type { KeyRing } from '../../../db/seal-json.js';
import { storeEvent } from '../../../db/store-event.js';
import type { ConversationEvent } from '../../../flows/conversation/conversation-event.js';
import { sealEventPayload } from '../../engine/seal-event-payload.js';

type AgentEvent = Extract<
  ConversationEvent,
  { type: 'agent.joined' | 'agent.message' | 'agent.assigned' | 'agent.released' }
>;

/**
 * Stores what an agent (or the idle timer) did to a conversation as its event, on the one path every change
 * takes: the engine applies it in order with the owner's messages, and the machine decides what the owner
 * hears. Each accepted action is one happening, so its dedupe key is new; the caller's lock on the
 * conversation (and its conditional update) is what keeps a takeover or hand-back from happening twice.
 */
export async function storeAgentEvent(
  tx: Tx,
  keys: KeyRing,
  conversationId: string,
  event: AgentEvent,
): Promise<void> {
  await storeEvent(tx, {
    dedupeKey: `agent:${conversationId}:${event.type}:${randomUUID()}`,
    conversationId,
    type: event.type,
    payload: sealEventPayload(event, keys),
  });
}
