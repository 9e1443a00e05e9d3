import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/create-database.js';
import { messages, outbox } from '../../db/schema.js';
import { adoptTemplateWamid } from './adopt-template-wamid.js';

const RANK = { received: 0, queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 } as const;
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** WhatsApp's "re-engagement message": the 24-hour window had closed. */
export const WINDOW_CLOSED_CODE = '131047';

// The same order in SQL, so the comparison happens in the UPDATE itself (no read-then-write race).
const rankOf = sql.raw(
  `case status ${Object.entries(RANK)
    .map(([status, rank]) => `when '${status}' then ${rank}`)
    .join(' ')} else 0 end`,
);

/**
 * Applies a delivery status to an outbound message, only ever forward (statuses arrive out of order:
 * `delivered` after `read` changes nothing). A session message refused because the window had closed is
 * sent again as a template.
 */
export async function applyDeliveryStatus(
  db: Db,
  update: {
    providerMessageId: string;
    status: DeliveryStatus;
    failureCode?: string;
    /**
     * For matching a template: whom the message went to (E.164) and when WhatsApp sent it (the status's
     * `sent_at`). A template's first status carries a wamid we have never seen (`adoptTemplateWamid`).
     */
    template?: { phone: string; sentAt: Date };
  },
): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const apply = () =>
      tx
        .update(messages)
        .set({
          status: update.status,
          statusReason: update.failureCode ?? null,
          updatedAt: new Date(),
        })
        .where(
          sql`${messages.providerMessageId} = ${update.providerMessageId} and ${rankOf} < ${RANK[update.status]}`,
        )
        .returning({ id: messages.id, conversationId: messages.conversationId, body: messages.body });
    let [row] = await apply();
    if (
      !row &&
      update.template &&
      (await adoptTemplateWamid(tx, { wamid: update.providerMessageId, ...update.template }))
    ) {
      [row] = await apply();
    }
    if (!row) return { changed: false };
    if (update.status === 'failed' && update.failureCode === WINDOW_CLOSED_CODE) {
      const [sent] = await tx.select().from(outbox).where(eq(outbox.providerId, update.providerMessageId));
      if (sent) {
        await tx.insert(outbox).values({
          conversationId: row.conversationId,
          kind: sent.kind,
          payload: { ...(sent.payload as Record<string, unknown>), forceTemplate: true },
        });
      }
    }
    return { changed: true };
  });
}
