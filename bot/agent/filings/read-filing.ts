import type { Client } from '@temporalio/client';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/create-database.js';
import { agents, conversations, filingActions, filings, orders } from '../../../db/schema.js';
import { FILING_PROGRESS_QUERY, type FilingProgress } from '../../../flows/filing/file-annual-returns.js';
import { type FilingNeeds, filingNeeds } from './filing-needs.js';

/** How long the console waits for the workflow's own account of itself before showing the row alone. */
const PROGRESS_TIMEOUT_MS = 3_000;

export interface FilingView {
  id: string;
  orderId: string;
  conversationId: string;
  workflowId: string;
  status: string;
  milestones: { at: string; milestone: string; detail?: unknown }[];
  arReferences: string[];
  /** Why the conversation is flagged for a person, as the service or the workflow said it. */
  needsAgent: string | null;
  needs: FilingNeeds;
  /** The workflow's progress query; null when no worker answered in time (the row above still holds). */
  progress: Omit<FilingProgress, 'captchaImagePath'> | null;
  actions: { action: string; agentName: string; at: Date; wait: number; details: unknown }[];
  updatedAt: Date;
}

/** A filing as the agent console shows it: the row, what it needs now, the live progress, who did what. */
export async function readFiling(
  db: Db,
  temporal: Client,
  filingId: string,
): Promise<FilingView | undefined> {
  const [filing] = await db
    .select({
      id: filings.id,
      orderId: filings.orderId,
      conversationId: orders.conversationId,
      workflowId: filings.workflowId,
      status: filings.status,
      milestones: filings.milestones,
      arReferences: filings.arReferences,
      captchaPngBase64: filings.captchaPngBase64,
      needsAgent: conversations.needsAgent,
      updatedAt: filings.updatedAt,
    })
    .from(filings)
    .innerJoin(orders, eq(orders.id, filings.orderId))
    .innerJoin(conversations, eq(conversations.id, orders.conversationId))
    .where(eq(filings.id, filingId));
  if (!filing) return undefined;
  const actions = await db
    .select({
      action: filingActions.action,
      agentName: agents.name,
      at: filingActions.createdAt,
      wait: filingActions.wait,
      details: filingActions.details,
    })
    .from(filingActions)
    .innerJoin(agents, eq(agents.id, filingActions.agentId))
    .where(eq(filingActions.filingId, filingId))
    .orderBy(asc(filingActions.id));
  const wait = filing.milestones.length - 1;
  const answer = actions.find((a) => a.wait === wait);
  const { captchaPngBase64: _, ...row } = filing;
  return {
    ...row,
    needs: filingNeeds(filing, answer),
    progress: await progressOf(temporal, filing.workflowId),
    actions,
  };
}

/** The workflow's own account; the image path names a file on a worker's disk, of no use here (`needs.captcha`). */
async function progressOf(temporal: Client, workflowId: string): Promise<FilingView['progress']> {
  try {
    const { captchaImagePath: _, ...progress } = await temporal.withDeadline(
      Date.now() + PROGRESS_TIMEOUT_MS,
      () => temporal.workflow.getHandle(workflowId).query<FilingProgress>(FILING_PROGRESS_QUERY),
    );
    return progress;
  } catch {
    return null;
  }
}
