import { sql } from 'drizzle-orm';
import {
  bigserial,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Bytes exactly as received or sealed (PostgreSQL bytea); either driver's bytes read back as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A person we talk to, keyed by their E.164 phone number. */
export const contacts = pgTable('contacts', {
  id: uuid('id').primaryKey().defaultRandom(),
  phone: text('phone').notNull().unique(),
  name: text('name'),
  consentVersion: text('consent_version'),
  consentAt: timestamp('consent_at', { withTimezone: true }),
  optedOutAt: timestamp('opted_out_at', { withTimezone: true }),
  /** When an admin erased this person (POPIA): `phone` no longer holds their number, nothing is sent. */
  erasedAt: timestamp('erased_at', { withTimezone: true }),
  createdAt: createdAt(),
});

/** One running dialogue per contact: the persisted machine snapshot and who owns the chat. */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id),
    machineVersion: integer('machine_version').notNull(),
    snapshot: jsonb('snapshot'),
    owner: text('owner', { enum: ['bot', 'agent'] })
      .notNull()
      .default('bot'),
    assignedAgentId: uuid('assigned_agent_id').references(() => agents.id),
    needsAgent: text('needs_agent'),
    /** When `needs_agent` was set (a trigger keeps it, whoever sets the reason): the queue's wait time. */
    needsAgentSince: timestamp('needs_agent_since', { withTimezone: true }),
    /** While an agent holds the chat: their last takeover, message or AiSensy echo (the idle timer's clock). */
    agentActiveAt: timestamp('agent_active_at', { withTimezone: true }),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('conversations_contact_uq').on(t.contactId),
    index('conversations_held_idx').on(t.agentActiveAt).where(sql`${t.owner} = 'agent'`),
  ],
);

/** Agents' private notes on a conversation (never sent to the owner); `body` sealed, it may name anyone. */
export const conversationNotes = pgTable(
  'conversation_notes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    body: jsonb('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('conversation_notes_conversation_idx').on(t.conversationId, t.id)],
);

/** Everything that can change a conversation, stored before it is acknowledged. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    dedupeKey: text('dedupe_key').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'processed', 'failed'] })
      .notNull()
      .default('pending'),
    error: text('error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('events_dedupe_key_uq').on(t.dedupeKey),
    index('events_pending_idx').on(t.conversationId, t.id).where(sql`${t.status} = 'pending'`),
    // The console's queue and transcript: a conversation's company lookups and agent markers.
    index('events_console_idx')
      .on(t.conversationId, t.id)
      .where(sql`${t.type} in ('lookup.found', 'agent.joined', 'agent.assigned', 'agent.released')`),
  ],
);

/** Commands the machine emitted, written in the same transaction as the snapshot, sent by the dispatcher. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    providerId: text('provider_id'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** While set and in the future, the dispatcher named by `leasedBy` is sending this row. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** The claim (dispatcher and pass) holding the lease; only it may record the outcome. */
    leasedBy: text('leased_by'),
  },
  (t) => [index('outbox_due_idx').on(t.nextAttemptAt, t.id).where(sql`${t.status} = 'pending'`)],
);

/** The transcript: every message in and out, with its delivery status applied monotonically. */
export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    author: text('author', { enum: ['user', 'bot', 'agent'] }).notNull(),
    providerMessageId: text('provider_message_id'),
    kind: text('kind').notNull(),
    body: jsonb('body').notNull(),
    status: text('status', { enum: ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] }).notNull(),
    statusReason: text('status_reason'),
    /**
     * AiSensy's own id of a template send (its campaign API's `submitted_message_id`, not the wamid): the
     * wamid is adopted from the first status webhook that matches the phone and time (`adoptTemplateWamid`).
     */
    submittedMessageId: text('submitted_message_id'),
    /** When AiSensy accepted the outbound message. */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('messages_provider_id_uq').on(t.providerMessageId),
    index('messages_conversation_idx').on(t.conversationId, t.id),
    index('messages_awaiting_wamid_idx')
      .on(t.conversationId, t.sentAt)
      .where(sql`${t.submittedMessageId} is not null and ${t.providerMessageId} is null`),
  ],
);

/**
 * A reminder the conversation asked for (`scheduleReminder`): a sweeper hands `payload` back to it as one
 * `reminder.due` event once `due_at` has passed, or cancels it when the owner has opted out by then. One row
 * per conversation, kind, company and time, so asking again (or a replayed event) schedules nothing new.
 */
export const reminders = pgTable(
  'reminders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    kind: text('kind', { enum: ['annualReturnOpens'] }).notNull(),
    registrationNumber: text('registration_number').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('reminders_once_uq').on(t.conversationId, t.kind, t.registrationNumber, t.dueAt),
    index('reminders_due_idx').on(t.dueAt).where(sql`${t.sentAt} is null and ${t.cancelledAt} is null`),
  ],
);

/** What the CIPC public search told us about an enterprise, cached. */
export const companies = pgTable('companies', {
  registrationNumber: text('registration_number').primaryKey(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  status: text('status').notNull(),
  incorporationDate: date('incorporation_date').notNull(),
  filedYears: jsonb('filed_years').$type<number[]>().notNull().default([]),
  boYear: integer('bo_year'),
  lookedUpAt: timestamp('looked_up_at', { withTimezone: true }).notNull().defaultNow(),
});

export interface OrderYear {
  year: number;
  turnoverBand: string;
  late: boolean;
  dueDate: string;
  feeCents: number;
}

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reference: text('reference').notNull(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    registrationNumber: text('registration_number').notNull(),
    companyName: text('company_name').notNull(),
    years: jsonb('years').$type<OrderYear[]>().notNull(),
    cipcFeeCents: integer('cipc_fee_cents').notNull(),
    serviceFeeCents: integer('service_fee_cents').notNull(),
    amountCents: integer('amount_cents').notNull(),
    /** Encrypted (AES-256-GCM): the confirmation email and the FAS details. */
    emailEncrypted: text('email_encrypted'),
    fasEncrypted: text('fas_encrypted'),
    payToken: text('pay_token').notNull(),
    payTokenExpiresAt: timestamp('pay_token_expires_at', { withTimezone: true }).notNull(),
    status: text('status', {
      enum: [
        'awaiting_payment',
        'paid',
        'filing',
        'filed',
        'needs_agent',
        'cancelled',
        'expired',
        'refunded',
      ],
    })
      .notNull()
      .default('awaiting_payment'),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('orders_reference_uq').on(t.reference),
    uniqueIndex('orders_pay_token_uq').on(t.payToken),
    index('orders_conversation_idx').on(t.conversationId, t.createdAt),
  ],
);

/** Every notification a payment provider posted, raw, kept whatever its outcome. */
export const paymentNotifications = pgTable(
  'payment_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider', { enum: ['payfast', 'ozow'] }).notNull(),
    /** The body exactly as posted, as bytes: whatever a provider (or anyone) sends can be stored. */
    rawBody: bytea('raw_body').notNull(),
    sourceIp: text('source_ip'),
    outcome: text('outcome', { enum: ['pending', 'accepted', 'rejected', 'ignored'] })
      .notNull()
      .default('pending'),
    reason: text('reason'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** How many times its checks were started (a PayFast ITN: the webhook's, then the reconciler's re-checks). */
    checks: integer('checks').notNull().default(0),
    /** When its checks last started; the next re-check backs off from here. */
    checkedAt: timestamp('checked_at', { withTimezone: true }),
  },
  (t) => [
    index('payment_notifications_pending_idx')
      .on(t.provider, t.checkedAt)
      .where(sql`${t.outcome} = 'pending'`),
  ],
);

/**
 * A checkout the buyer started from the pay page (PayFast form or Ozow payment request). Reconciliation
 * asks Ozow about requests still `started` after a while, in case its notifications never arrived.
 */
export const paymentRequests = pgTable(
  'payment_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    provider: text('provider', { enum: ['payfast', 'ozow'] }).notNull(),
    providerRequestId: text('provider_request_id'),
    status: text('status', { enum: ['started', 'confirmed', 'closed'] })
      .notNull()
      .default('started'),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('payment_requests_open_idx').on(t.provider, t.createdAt).where(sql`${t.status} = 'started'`)],
);

/** A verified payment; one row per provider payment id, so a replay cannot pay twice. */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    provider: text('provider', { enum: ['payfast', 'ozow'] }).notNull(),
    providerPaymentId: text('provider_payment_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    status: text('status').notNull(),
    notificationId: integer('notification_id').references(() => paymentNotifications.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('payments_provider_id_uq').on(t.provider, t.providerPaymentId)],
);

export const filings = pgTable(
  'filings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    workflowId: text('workflow_id').notNull(),
    status: text('status', { enum: ['running', 'waiting_for_person', 'filed', 'failed', 'cancelled'] })
      .notNull()
      .default('running'),
    milestones: jsonb('milestones')
      .$type<{ at: string; milestone: string; detail?: unknown }[]>()
      .notNull()
      .default([]),
    arReferences: jsonb('ar_references').$type<string[]>().notNull().default([]),
    certificatePath: text('certificate_path'),
    /**
     * The security code 2Captcha could not read (PNG, base64), kept by the worker for a person to read in the
     * agent console; cleared when a person answers the wait. Not personal data.
     */
    captchaPngBase64: text('captcha_png_base64'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('filings_order_uq').on(t.orderId), uniqueIndex('filings_workflow_uq').on(t.workflowId)],
);

/**
 * What a person did about a filing that waited for them (agent console). `wait` is the index in
 * `filings.milestones` of the wait it answers: one answer per wait, so two agents cannot both resume,
 * file by hand and cancel the same filing.
 */
export const filingActions = pgTable(
  'filing_actions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    filingId: uuid('filing_id')
      .notNull()
      .references(() => filings.id),
    wait: integer('wait').notNull(),
    action: text('action', {
      enum: ['retry', 'captcha', 'balanceToppedUp', 'markFiled', 'cancel'],
    }).notNull(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    /** AR references, notes: what the agent wrote, kept here rather than in the audit log. */
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('filing_actions_wait_uq').on(t.filingId, t.wait)],
);

export const agents = pgTable('agents', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['agent', 'admin'] })
    .notNull()
    .default('agent'),
  /** Set by an admin: the agent can no longer log in and their sessions end. Rows are never deleted (audit). */
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  /** Wrong passwords since the last success or lock-out; the fifth locks the account (`lockedUntil`). */
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * The console's sessions (@fastify/session's store), shared by every replica. `id` is the SHA-256 of the
 * session id, so a copy of this table lets nobody ride a live session.
 */
export const agentSessions = pgTable(
  'agent_sessions',
  {
    id: text('id').primaryKey(),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'cascade' }),
    data: jsonb('data').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('agent_sessions_expires_idx').on(t.expiresAt),
    index('agent_sessions_agent_idx').on(t.agentId),
  ],
);

/** Who read or changed what personal data, and when (POPIA). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    details: jsonb('details'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_subject_idx').on(t.subject, t.at)],
);

/**
 * A signed AiSensy webhook delivery we could not act on — a topic we do not handle (`contact.*`, ...), a
 * status we do not know, a shape we do not recognise — kept raw (answered 2xx so AiSensy neither retries
 * nor counts it towards disabling the webhook). Each row is a flag for a person; when it is a user's
 * message from a known phone, that conversation's `needs_agent` says so too (`conversation_id`). One row
 * per envelope: AiSensy's retry of it stores nothing new.
 */
export const unhandledAisensyDeliveries = pgTable(
  'unhandled_aisensy_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    envelopeId: text('envelope_id').notNull(),
    topic: text('topic').notNull(),
    reason: text('reason').notNull(),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    body: jsonb('body').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('unhandled_aisensy_deliveries_envelope_uq').on(t.envelopeId)],
);
