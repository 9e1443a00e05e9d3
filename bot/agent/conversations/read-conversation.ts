import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import {
  agents,
  contacts,
  conversationNotes,
  conversations,
  filings,
  orders,
  payments,
} from '../../../db/schema.js';
import { type KeyRing, openJson } from '../../../db/seal-json.js';
import type { ConversationContext } from '../../../flows/conversation/conversation-context.js';
import { formatPhone } from '../../../flows/conversation/format-phone.js';
import { migrateSnapshot } from '../../../flows/conversation/migrate-snapshot.js';
import { summaryOf } from '../../../flows/conversation/summary-of.js';
import { windowClosesAt } from '../../../flows/conversation/whatsapp-window.js';
import { recordView } from '../audit/record-view.js';
import { AGENT_TEMPLATES } from './agent-templates.js';
import { readTranscript, type TranscriptEntry } from './read-transcript.js';

/** How much of a transcript the console shows: far more than a filing ever takes. */
const TRANSCRIPT_ENTRIES = 500;

export type ConversationEntry =
  | TranscriptEntry
  | { type: 'note'; id: number; agentName: string; text: string; at: string };

/** An ID number shown to an agent: enough to compare with what the owner says, not to copy. */
const maskId = (id: string) => `${'•'.repeat(Math.max(0, id.length - 4))}${id.slice(-4)}`;

/**
 * Everything an agent needs to work a conversation, in one answer: who it is, who holds it, the
 * transcript with notes and markers, what the owner told the bot so far (from the saved dialogue,
 * opened here), the quote, the order and payments, the filing and its milestones, why it needs a person
 * and when the 24-hour window closes. Reading it is recorded in the audit log (it is personal data).
 */
export async function readConversation(
  db: Db,
  keys: KeyRing,
  conversationId: string,
  viewer: { id: string },
  now = new Date(),
) {
  const [row] = await db
    .select({
      id: conversations.id,
      phone: contacts.phone,
      name: contacts.name,
      consentVersion: contacts.consentVersion,
      consentAt: contacts.consentAt,
      optedOutAt: contacts.optedOutAt,
      owner: conversations.owner,
      assignedAgentId: conversations.assignedAgentId,
      assignedAgentName: agents.name,
      agentActiveAt: conversations.agentActiveAt,
      needsAgent: conversations.needsAgent,
      needsAgentSince: conversations.needsAgentSince,
      lastInboundAt: conversations.lastInboundAt,
      snapshot: conversations.snapshot,
      machineVersion: conversations.machineVersion,
      updatedAt: conversations.updatedAt,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(agents, eq(agents.id, conversations.assignedAgentId))
    .where(eq(conversations.id, conversationId));
  if (!row) return undefined;
  await recordView(db, {
    actor: viewer.id,
    action: 'conversation.viewed',
    subject: `conversation:${conversationId}`,
  });

  const context = contextOf(row.snapshot, row.machineVersion, keys);
  const [order] = await db
    .select()
    .from(orders)
    .where(eq(orders.conversationId, conversationId))
    .orderBy(desc(orders.createdAt))
    .limit(1);
  const [orderPayments, [filing], notes, transcripts] = await Promise.all([
    order
      ? db.select().from(payments).where(eq(payments.orderId, order.id)).orderBy(asc(payments.createdAt))
      : Promise.resolve([]),
    order ? db.select().from(filings).where(eq(filings.orderId, order.id)) : Promise.resolve([]),
    db
      .select({
        id: conversationNotes.id,
        agentName: agents.name,
        body: conversationNotes.body,
        at: conversationNotes.createdAt,
      })
      .from(conversationNotes)
      .innerJoin(agents, eq(agents.id, conversationNotes.agentId))
      .where(eq(conversationNotes.conversationId, conversationId))
      .orderBy(asc(conversationNotes.id)),
    readTranscript(db, keys, [conversationId], { latest: TRANSCRIPT_ENTRIES }),
  ]);
  const transcript: ConversationEntry[] = [
    ...(transcripts.get(conversationId) ?? []),
    ...notes.map((note) => ({
      type: 'note' as const,
      id: note.id,
      agentName: note.agentName,
      text: openJson<{ text: string }>(note.body, keys).text,
      at: note.at.toISOString(),
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const summary = context ? summaryOf(context) : undefined;
  const closesAt = windowClosesAt(row.lastInboundAt);

  return {
    id: row.id,
    phone: row.phone,
    phoneDisplay: formatPhone(row.phone),
    name: row.name ?? context?.name ?? null,
    firstName: (row.name ?? context?.name)?.trim().split(/\s+/)[0] ?? null,
    optedOut: row.optedOutAt !== null,
    owner: row.owner,
    assignedAgent:
      row.assignedAgentId === null ? null : { id: row.assignedAgentId, name: row.assignedAgentName ?? '' },
    agentActiveAt: row.agentActiveAt?.toISOString() ?? null,
    needsAgent: row.needsAgent,
    needsAgentSince: row.needsAgentSince?.toISOString() ?? null,
    windowEndsAt: closesAt?.toISOString() ?? null,
    windowOpen: closesAt !== null && closesAt > now,
    /** Where the owner is in the dialogue (the machine's step). */
    step: context?.step ?? null,
    companyName: order?.companyName ?? context?.company?.name ?? null,
    collected: context
      ? {
          consent: row.consentVersion
            ? { version: row.consentVersion, at: row.consentAt?.toISOString() }
            : null,
          registrationNumber: context.registrationNumber ?? null,
          company: context.company ?? null,
          years: context.years.map((year) => ({
            year: year.year,
            due: year.due,
            late: year.late,
            turnoverBandId: year.turnoverBandId ?? null,
          })),
          fas: context.fas
            ? {
                recordsKeeper: {
                  ...context.fas.recordsKeeper,
                  idNumber: maskId(context.fas.recordsKeeper.idNumber),
                },
                preparer: { ...context.fas.preparer, idNumber: maskId(context.fas.preparer.idNumber) },
              }
            : null,
          email: context.email ?? null,
        }
      : null,
    quote: summary
      ? {
          years: summary.years.map(({ year, bandTitle, late, feeCents }) => ({
            year,
            bandTitle,
            late,
            feeCents,
          })),
          cipcFeeCents: summary.cipcFeeCents,
          serviceFeeCents: summary.serviceFeeCents,
          totalCents: summary.totalCents,
        }
      : null,
    order: order
      ? {
          id: order.id,
          reference: order.reference,
          status: order.status,
          amountCents: order.amountCents,
          createdAt: order.createdAt.toISOString(),
          payLinkExpiresAt: order.payTokenExpiresAt.toISOString(),
          paidAt: order.paidAt?.toISOString() ?? null,
          payments: orderPayments.map((payment) => ({
            provider: payment.provider,
            providerPaymentId: payment.providerPaymentId,
            amountCents: payment.amountCents,
            status: payment.status,
            at: payment.createdAt.toISOString(),
          })),
        }
      : null,
    filing: filing
      ? {
          id: filing.id,
          workflowId: filing.workflowId,
          status: filing.status,
          milestones: filing.milestones,
          arReferences: filing.arReferences,
          updatedAt: filing.updatedAt.toISOString(),
        }
      : null,
    transcript,
    /** What an agent may send outside the 24-hour window. */
    templates: AGENT_TEMPLATES,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type ConversationDetail = NonNullable<Awaited<ReturnType<typeof readConversation>>>;

/** What the owner told the bot so far, from the saved dialogue; null before the first message or when unreadable. */
function contextOf(stored: unknown, version: number, keys: KeyRing): ConversationContext | null {
  if (!stored) return null;
  const migrated = migrateSnapshot(openJson(stored, keys), version);
  return migrated.ok ? migrated.snapshot.context : null;
}
