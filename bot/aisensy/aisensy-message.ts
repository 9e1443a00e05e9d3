import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { MAX_ID_LENGTH } from './aisensy-envelope.js';

// AiSensy sends explicit nulls for what a message lacks (`failureResponse: null`, `read_at: null`,
// `message_content: null`, `context: null`): every field we read accepts null as "absent".
const Nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const Text = Nullable(Type.String());
/**
 * A message id (a wamid is about 60 characters). Bounded because ids are stored in unique indexes, which
 * refuse a value of more than about 2.7 kB: a longer "id" is not one, and the message is kept raw instead.
 */
const Id = Nullable(Type.String({ maxLength: MAX_ID_LENGTH }));
/** Milliseconds since the epoch (`sent_at`, `delivered_at`, `read_at`, `failed_at`). */
const Time = Nullable(Type.Union([Type.Number(), Type.String()]));
const Reply = Type.Object({ id: Type.String(), title: Type.String() }, { additionalProperties: true });

/**
 * `data.message` of an AiSensy project webhook, as the Project API documents its message object and
 * captured deliveries show it (see `bot/aisensy/fixtures/inbound/README.md`); only what we read is described,
 * everything else passes through untouched.
 */
export const AisensyMessage = Type.Object(
  {
    id: Id,
    messageId: Id,
    phone_number: Text,
    userName: Text,
    sender: Text,
    message_type: Text,
    /**
     * `{text}` for text; `{text, callbackPayload}` for QUICK_REPLY; `{title}` (maybe with an `id`) for
     * BUTTON_REPLY and LIST_REPLY; `{url, mimeType, caption?}` for media.
     */
    message_content: Nullable(
      Type.Object(
        {
          text: Text,
          callbackPayload: Text,
          title: Text,
          id: Text,
          url: Text,
          mimeType: Text,
          caption: Text,
        },
        { additionalProperties: true },
      ),
    ),
    /** The WhatsApp Cloud API shape of a tap, which AiSensy may pass through. */
    interactive: Nullable(
      Type.Object(
        { type: Text, button_reply: Nullable(Reply), list_reply: Nullable(Reply) },
        { additionalProperties: true },
      ),
    ),
    /** `id`: the wamid of the business message the user answered (whose button or row was tapped). */
    context: Nullable(Type.Object({ id: Text }, { additionalProperties: true })),
    status: Text,
    sent_at: Time,
    delivered_at: Time,
    read_at: Time,
    failed_at: Time,
    failureResponse: Nullable(
      Type.Object(
        { code: Nullable(Type.Union([Type.Number(), Type.String()])) },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
);
export type AisensyMessage = Static<typeof AisensyMessage>;

const check = TypeCompiler.Compile(Type.Object({ message: AisensyMessage }, { additionalProperties: true }));

/** `data.message` when it has the shape of an AiSensy message, else undefined (to be stored raw). */
export function readAisensyMessage(data: unknown): AisensyMessage | undefined {
  return check.Check(data) ? data.message : undefined;
}
