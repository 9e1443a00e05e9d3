import type { ChatContent, ListRow, ReplyButton } from './chat-message.js';
import { CloudApiError } from './cloud-api-error.js';

export interface SessionMessage {
  /** Digits with country code, no `+`. */
  to: string;
  content: ChatContent;
  contextId?: string;
}

type Json = Record<string, unknown>;

/**
 * Meta's published limits (developers.facebook.com/docs/whatsapp/cloud-api/messages/text-messages: body
 * 4096; .../interactive-reply-buttons-messages: 3 buttons, titles 20, ids 256, body 1024, header and
 * footer 60; .../interactive-list-messages: 10 rows over 10 sections, section and row titles 24, row
 * descriptions 72, row ids 200, button label 20; .../document-messages and image-messages: caption 1024).
 */
const LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  headerText: 60,
  footer: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  rows: 10,
  sections: 10,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  caption: 1024,
};

/** Digits with a country code: no leading 0 (a national number), 8 to 15 digits (E.164). */
const INTERNATIONAL_NUMBER = /^\+?[1-9]\d{7,14}$/;

/**
 * Checks a WhatsApp Cloud API message body the way Graph API does; throws a {@link CloudApiError}. AiSensy's
 * project API takes this body unchanged and answers with Graph API's own answers (DOMAIN.md, "WhatsApp
 * through AiSensy"); a refused message is HTTP 400 with Graph's error object.
 */
export function validateSessionMessage(body: unknown): SessionMessage {
  const message = object(body, 'body');
  if (message.messaging_product === undefined) {
    throw new CloudApiError(100, 'The parameter messaging_product is required.');
  }
  if (message.messaging_product !== 'whatsapp') {
    throw new CloudApiError(
      100,
      `Param messaging_product must be one of {WHATSAPP} - got "${String(message.messaging_product)}".`,
    );
  }
  const to = requiredString(message, 'to');
  if (!INTERNATIONAL_NUMBER.test(to.replace(/[\s-]/g, ''))) {
    throw new CloudApiError(
      131009,
      `Invalid parameter "to": "${to}" is not a phone number with a country code.`,
    );
  }
  const type = message.type ?? 'text';
  const contextId =
    message.context === undefined
      ? undefined
      : requiredString(object(message.context, 'context'), 'message_id');
  return {
    to: to.replace(/\D/g, ''),
    content: contentOf(String(type), message),
    ...(contextId === undefined ? {} : { contextId }),
  };
}

function contentOf(type: string, message: Json): ChatContent {
  switch (type) {
    case 'text': {
      const text = object(message.text, 'text');
      return {
        type: 'text',
        text: bounded(requiredString(text, 'body', 'text.body'), 'text.body', LIMITS.text),
      };
    }
    case 'interactive':
      return interactiveOf(object(message.interactive, 'interactive'));
    case 'document': {
      const document = object(message.document, 'document');
      return {
        type: 'document',
        url: mediaLink(document, 'document'),
        ...optional('filename', optionalString(document, 'filename', 'document.filename', 240)),
        ...optional('caption', optionalString(document, 'caption', 'document.caption', LIMITS.caption)),
      };
    }
    case 'image': {
      const image = object(message.image, 'image');
      return {
        type: 'image',
        url: mediaLink(image, 'image'),
        ...optional('caption', optionalString(image, 'caption', 'image.caption', LIMITS.caption)),
      };
    }
    default:
      throw new CloudApiError(131051, `Message type "${type}" is not supported by this sandbox.`);
  }
}

function interactiveOf(interactive: Json): ChatContent {
  const type = requiredString(interactive, 'type', 'interactive.type');
  const body = bounded(
    requiredString(object(interactive.body, 'interactive.body'), 'text', 'interactive.body.text'),
    'interactive.body.text',
    LIMITS.interactiveBody,
  );
  const action = object(interactive.action, 'interactive.action');
  const frame = {
    body,
    ...optional('header', headerText(interactive.header)),
    ...optional(
      'footer',
      interactive.footer === undefined
        ? undefined
        : bounded(
            requiredString(
              object(interactive.footer, 'interactive.footer'),
              'text',
              'interactive.footer.text',
            ),
            'interactive.footer.text',
            LIMITS.footer,
          ),
    ),
  };
  switch (type) {
    case 'button':
      return { type: 'buttons', ...frame, buttons: replyButtons(action.buttons) };
    case 'list':
      return {
        type: 'list',
        ...frame,
        button: bounded(
          requiredString(action, 'button', 'action.button'),
          'action.button',
          LIMITS.listButton,
        ),
        sections: sections(action.sections),
      };
    case 'cta_url': {
      if (action.name !== 'cta_url') throw new CloudApiError(131009, 'action.name must be "cta_url".');
      const parameters = object(action.parameters, 'action.parameters');
      const url = requiredString(parameters, 'url', 'action.parameters.url');
      if (!/^https?:\/\//.test(url))
        throw new CloudApiError(131009, 'action.parameters.url must be an http(s) URL.');
      return {
        type: 'cta_url',
        ...frame,
        displayText: bounded(
          requiredString(parameters, 'display_text', 'action.parameters.display_text'),
          'action.parameters.display_text',
          LIMITS.buttonTitle,
        ),
        url,
      };
    }
    default:
      throw new CloudApiError(131009, `Interactive type "${type}" is not supported by this sandbox.`);
  }
}

function replyButtons(value: unknown): ReplyButton[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new CloudApiError(131008, 'action.buttons is required and must hold at least one button.');
  }
  if (value.length > LIMITS.buttons) {
    throw new CloudApiError(
      131009,
      `Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: ${LIMITS.buttons}`,
    );
  }
  const buttons = value.map((button, index) => {
    const field = `action.buttons[${index}]`;
    const entry = object(button, field);
    if (entry.type !== 'reply') throw new CloudApiError(131009, `${field}.type must be "reply".`);
    const reply = object(entry.reply, `${field}.reply`);
    return {
      id: bounded(requiredString(reply, 'id', `${field}.reply.id`), `${field}.reply.id`, LIMITS.buttonId),
      title: bounded(
        requiredString(reply, 'title', `${field}.reply.title`),
        `${field}.reply.title`,
        LIMITS.buttonTitle,
      ),
    };
  });
  unique(
    buttons.map((b) => b.id),
    'Button ids',
  );
  unique(
    buttons.map((b) => b.title),
    'Button titles',
  );
  return buttons;
}

function sections(value: unknown): { title?: string; rows: ListRow[] }[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new CloudApiError(131008, 'action.sections is required and must hold at least one section.');
  }
  if (value.length > LIMITS.sections)
    throw new CloudApiError(131009, `Too many sections (max ${LIMITS.sections}).`);
  const result = value.map((section, s) => {
    const field = `action.sections[${s}]`;
    const entry = object(section, field);
    const title = optionalString(entry, 'title', `${field}.title`, LIMITS.sectionTitle);
    if (title === undefined && value.length > 1) {
      throw new CloudApiError(131008, `${field}.title is required when there is more than one section.`);
    }
    if (!Array.isArray(entry.rows) || entry.rows.length === 0) {
      throw new CloudApiError(131008, `${field}.rows is required and must hold at least one row.`);
    }
    const rows = entry.rows.map((row, r) => {
      const rowField = `${field}.rows[${r}]`;
      const item = object(row, rowField);
      return {
        id: bounded(requiredString(item, 'id', `${rowField}.id`), `${rowField}.id`, LIMITS.rowId),
        title: bounded(
          requiredString(item, 'title', `${rowField}.title`),
          `${rowField}.title`,
          LIMITS.rowTitle,
        ),
        ...optional(
          'description',
          optionalString(item, 'description', `${rowField}.description`, LIMITS.rowDescription),
        ),
      };
    });
    return { ...optional('title', title), rows };
  });
  const rows = result.flatMap((section) => section.rows);
  if (rows.length > LIMITS.rows) {
    throw new CloudApiError(131009, `Total row count exceed max allowed count: ${LIMITS.rows}`);
  }
  unique(
    rows.map((row) => row.id),
    'Row ids',
  );
  return result;
}

function headerText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const header = object(value, 'interactive.header');
  if (header.type !== 'text') throw new CloudApiError(131009, 'This sandbox supports only text headers.');
  return bounded(
    requiredString(header, 'text', 'interactive.header.text'),
    'interactive.header.text',
    LIMITS.headerText,
  );
}

function mediaLink(media: Json, field: string): string {
  if (typeof media.id === 'string') return `media:${media.id}`;
  const link = requiredString(media, 'link', `${field}.link`);
  if (!/^https?:\/\//.test(link)) throw new CloudApiError(131009, `${field}.link must be an http(s) URL.`);
  return link;
}

function unique(values: string[], what: string): void {
  if (new Set(values).size !== values.length) throw new CloudApiError(131009, `${what} must be unique.`);
}

function object(value: unknown, field: string): Json {
  if (value === undefined || value === null)
    throw new CloudApiError(131008, `The parameter ${field} is required.`);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CloudApiError(100, `Param ${field} must be a JSON object.`);
  }
  return value as Json;
}

function requiredString(parent: Json, key: string, field = key): string {
  const value = parent[key];
  if (value === undefined || value === null || value === '') {
    throw new CloudApiError(131008, `The parameter ${field} is required.`);
  }
  if (typeof value !== 'string') throw new CloudApiError(100, `Param ${field} must be a string.`);
  return value;
}

function optionalString(parent: Json, key: string, field: string, max: number): string | undefined {
  return parent[key] === undefined ? undefined : bounded(requiredString(parent, key, field), field, max);
}

function bounded(value: string, field: string, max: number): string {
  // WhatsApp counts characters, not UTF-16 units.
  const length = [...value].length;
  if (length > max) {
    throw new CloudApiError(
      131009,
      `Param ${field} length invalid. Min length: 1, Max length: ${max} (got ${length}).`,
    );
  }
  return value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
