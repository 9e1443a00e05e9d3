import { type Static, Type } from '@sinclair/typebox';

const Reply = Type.Object({ id: Type.String(), title: Type.String() });

/** `data.message` of an AiSensy project webhook; only what we read is required, the rest passes through. */
export const AisensyMessage = Type.Object(
  {
    id: Type.Optional(Type.String()),
    messageId: Type.Optional(Type.String()),
    phone_number: Type.Optional(Type.String()),
    userName: Type.Optional(Type.String()),
    sender: Type.Optional(Type.String()),
    message_type: Type.Optional(Type.String()),
    message_content: Type.Optional(
      Type.Object(
        {
          text: Type.Optional(Type.String()),
          callbackPayload: Type.Optional(Type.String()),
          url: Type.Optional(Type.String()),
          mimeType: Type.Optional(Type.String()),
          caption: Type.Optional(Type.String()),
        },
        { additionalProperties: true },
      ),
    ),
    interactive: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(Type.String()),
          button_reply: Type.Optional(Reply),
          list_reply: Type.Optional(Reply),
        },
        { additionalProperties: true },
      ),
    ),
    status: Type.Optional(Type.String()),
    timestamp: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    failureResponse: Type.Optional(
      Type.Object(
        { code: Type.Optional(Type.Union([Type.Number(), Type.String()])) },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
);
export type AisensyMessage = Static<typeof AisensyMessage>;

export const AisensyEnvelope = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    created_at: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    topic: Type.String({ minLength: 1 }),
    project_id: Type.Optional(Type.String()),
    delivery_attempt: Type.Optional(Type.Number()),
    data: Type.Object({ message: AisensyMessage }, { additionalProperties: true }),
  },
  { additionalProperties: true },
);
export type AisensyEnvelope = Static<typeof AisensyEnvelope>;
