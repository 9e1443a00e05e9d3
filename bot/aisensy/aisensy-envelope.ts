import { type Static, Type } from '@sinclair/typebox';

/**
 * The longest envelope or message id we take (AiSensy's are UUIDs, WhatsApp's wamids about 60
 * characters): ids go into unique indexes, and PostgreSQL refuses an index entry over about 2.7 kB.
 */
export const MAX_ID_LENGTH = 256;

/**
 * What makes a body an AiSensy project-webhook delivery at all: an envelope id and a topic. Everything
 * else is read leniently afterwards — a signed delivery we cannot act on is stored, never refused, since
 * AiSensy counts every non-2xx towards disabling the webhook. `created_at` is an ISO string and
 * `delivery_attempt` a string ("1", "2") in real deliveries; `data` depends on the topic
 * (`data.message` for `message.*`, `data.contact` for `contact.*`).
 */
export const AisensyEnvelope = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }),
    topic: Type.String({ minLength: 1 }),
    created_at: Type.Optional(Type.Unknown()),
    project_id: Type.Optional(Type.Unknown()),
    delivery_attempt: Type.Optional(Type.Unknown()),
    data: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);
export type AisensyEnvelope = Static<typeof AisensyEnvelope>;
