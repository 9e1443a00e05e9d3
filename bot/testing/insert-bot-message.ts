import type { Db } from '../../db/create-database.js';
import { messages } from '../../db/schema.js';
import type { OutboundMessage } from '../../flows/conversation/conversation-command.js';

/** A bot message on a conversation's transcript (queued unless `values` say otherwise); resolves to its id. */
export async function insertBotMessage(
  db: Db,
  conversationId: string,
  message: OutboundMessage,
  values: Partial<typeof messages.$inferInsert> = {},
): Promise<number> {
  const [row] = await db
    .insert(messages)
    .values({
      conversationId,
      direction: 'out',
      author: 'bot',
      kind: message.kind,
      body: message as never,
      status: 'queued',
      ...values,
    })
    .returning({ id: messages.id });
  return row?.id as number;
}
