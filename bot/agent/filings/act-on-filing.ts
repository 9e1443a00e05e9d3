import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { agents, conversations, filingActions, filings, orders, outbox } from '../../../db/schema.js';
import { FILING_SIGNALS } from '../../../flows/filing/file-annual-returns.js';
import { httpError } from '../../http-error.js';
import { outboxRow } from '../../outbox/outbox-row.js';
import { recordAudit } from '../audit/record-audit.js';
import type { SignedInAgent } from '../auth/agent-auth.js';
import { arReferencesOf, type FilingAction } from './filing-action.js';
import { filingNeeds } from './filing-needs.js';

/** The workflow signal each action is, with its arguments. */
function signalOf(action: FilingAction, agent: SignedInAgent): { signal: string; args: unknown[] } {
  switch (action.action) {
    case 'retry':
      return { signal: FILING_SIGNALS.retryNow, args: [] };
    case 'captcha':
      return { signal: FILING_SIGNALS.captchaAnswer, args: [{ text: action.text }] };
    case 'balanceToppedUp':
      return { signal: FILING_SIGNALS.balanceToppedUp, args: [] };
    case 'markFiled':
      return {
        signal: FILING_SIGNALS.markFiledManually,
        args: [{ arReferences: arReferencesOf(action.arReference), by: agent.id }],
      };
    case 'cancel':
      return {
        signal: FILING_SIGNALS.cancel,
        args: [{ reason: 'cancelled in the agent console', by: agent.id, refundNote: action.refundNote }],
      };
  }
}

/** What is kept with the action (not in the audit log, which must hold no free text). */
function detailsOf(action: FilingAction): Record<string, unknown> | null {
  if (action.action === 'markFiled') {
    return { arReferences: arReferencesOf(action.arReference), ...(action.note && { note: action.note }) };
  }
  if (action.action === 'cancel') return { refundNote: action.refundNote };
  return null;
}

const AUDIT_ACTION: Record<FilingAction['action'], string> = {
  retry: 'filing.retried',
  captcha: 'filing.captcha_answered',
  balanceToppedUp: 'filing.balance_topped_up',
  markFiled: 'filing.marked_filed',
  cancel: 'filing.cancelled',
};

export interface FilingActionAccepted {
  filingId: string;
  action: FilingAction['action'];
  /** The wait this action answers (its index in the filing's milestones). */
  wait: number;
}

/**
 * A person's answer to a filing that waits, in one transaction with the filing row locked: checked
 * against what the filing waits for (404, 409), kept as the one answer to that wait (`filing_actions`),
 * queued as the workflow's signal (outbox) and written to the audit log; the kept security code and
 * the conversation's flag for this wait go, since they are answered. All or nothing, so a signal is never sent for an action not recorded, nor an
 * action recorded without its signal. The owner hears of it from the workflow's next milestone.
 */
export async function actOnFiling(
  db: Db,
  input: { filingId: string; agent: SignedInAgent; action: FilingAction },
): Promise<FilingActionAccepted> {
  const { filingId, agent, action } = input;
  return db.transaction(async (tx) => {
    const [filing] = await tx
      .select({
        id: filings.id,
        orderId: filings.orderId,
        workflowId: filings.workflowId,
        status: filings.status,
        milestones: filings.milestones,
        captchaPngBase64: filings.captchaPngBase64,
        conversationId: orders.conversationId,
      })
      .from(filings)
      .innerJoin(orders, eq(orders.id, filings.orderId))
      .where(eq(filings.id, filingId))
      .for('update', { of: filings });
    if (!filing) throw httpError(404, 'not_found', `no filing ${filingId}`);
    const [answer] = await tx
      .select({ action: filingActions.action, agentName: agents.name, at: filingActions.createdAt })
      .from(filingActions)
      .innerJoin(agents, eq(agents.id, filingActions.agentId))
      .where(and(eq(filingActions.filingId, filingId), eq(filingActions.wait, filing.milestones.length - 1)));
    const needs = filingNeeds(filing, answer);
    if (!needs.waiting) throw httpError(409, 'filing_not_waiting', `cannot ${action.action}: ${needs.why}`);
    if (!needs.actions.includes(action.action)) {
      throw httpError(
        409,
        'action_does_not_fit',
        action.action === 'captcha'
          ? `no security code waits to be read; the filing waits because ${needs.reason}`
          : `the filing does not wait for the CIPC prepaid balance; it waits because ${needs.reason}`,
      );
    }
    await tx.insert(filingActions).values({
      filingId,
      wait: needs.wait,
      action: action.action,
      agentId: agent.id,
      details: detailsOf(action),
    });
    const { signal, args } = signalOf(action, agent);
    await tx
      .insert(outbox)
      .values(
        outboxRow(filing.conversationId, 'temporal.signal', { workflowId: filing.workflowId, signal, args }),
      );
    // The flag this wait raised on the conversation is answered; a flag for anything else stays up.
    await tx
      .update(conversations)
      .set({ needsAgent: null, updatedAt: new Date() })
      .where(and(eq(conversations.id, filing.conversationId), eq(conversations.needsAgent, needs.reason)));
    if (needs.captcha) {
      await tx
        .update(filings)
        .set({ captchaPngBase64: null, updatedAt: new Date() })
        .where(eq(filings.id, filingId));
    }
    await recordAudit(tx, {
      actor: agent.id,
      action: AUDIT_ACTION[action.action],
      subject: `filing:${filingId}`,
      details: {
        orderId: filing.orderId,
        wait: needs.wait,
        ...(action.action === 'markFiled' && { arReferences: arReferencesOf(action.arReference) }),
      },
    });
    return { filingId, action: action.action, wait: needs.wait };
  });
}
