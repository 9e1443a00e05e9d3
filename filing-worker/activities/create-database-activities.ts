import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/create-database.js';
import { companies, conversations, filings, orders } from '../../db/schema.js';
import { type NewEvent, storeEvent } from '../../db/store-event.js';
import { isEnterpriseType } from '../../flows/cipc/enterprise-type.js';
import {
  COMPANY_STATUSES,
  type CompanyFacts,
  type FilingMilestone,
} from '../../flows/conversation/conversation-event.js';
import type { FilingStatus } from '../../flows/filing/file-annual-returns.js';
import { LOOKUP_NEEDS_PERSON } from '../../flows/filing/lookup-enterprise.js';
import { workerMetrics } from '../metrics/worker-metrics.js';
import { PortalRejected } from '../portal/portal-errors.js';
import { searchEnterprise } from '../portal/search-page.js';

export interface OperationsAlert {
  orderId?: string;
  conversationId?: string;
  reason: string;
}

export interface DatabaseActivityDeps {
  db: Db;
  portalUrl: string;
  /** The portal-wide rate limit every request to the portal passes through. */
  schedule: <T>(task: () => Promise<T>) => Promise<T>;
  /** How long a public-search answer is reused. */
  lookupCacheMs?: number;
  /** Where operations hear about it (default: an error log line with `alert: true`). */
  alert?: (alert: OperationsAlert) => void;
  logger?: Logger;
}

export interface MilestoneInput {
  orderId: string;
  conversationId: string;
  workflowId: string;
  /** Unique per milestone: workflow id + kind (+ year, + which wait). */
  dedupeKey: string;
  at: string;
  milestone: FilingMilestone;
  status: FilingStatus;
  arReferences?: string[];
  certificatePath?: string;
}

/** A filing in one of these has ended: counted with its duration when it gets there. */
const FINISHED_STATUSES = new Set<FilingStatus>(['filed', 'failed', 'cancelled']);

const ORDER_STATUS: Record<FilingStatus, 'filing' | 'filed' | 'needs_agent' | 'cancelled'> = {
  running: 'filing',
  waiting_for_person: 'needs_agent',
  filed: 'filed',
  failed: 'needs_agent',
  cancelled: 'cancelled',
};

/** Activities that touch only our database (and the portal's public search): FILING task queue. */
export function createDatabaseActivities(deps: DatabaseActivityDeps) {
  const { db } = deps;
  const lookupCacheMs = deps.lookupCacheMs ?? 10 * 60_000;
  const alert =
    deps.alert ??
    ((a: OperationsAlert) =>
      deps.logger
        ? deps.logger.error({ alert: true, ...a }, `operations alert: ${a.reason}`)
        : console.error('operations alert', a));

  return {
    /**
     * The public search, answered from the `companies` cache when it is fresh; undefined: not registered.
     * A type or status the register shows that we do not know fails with `NeedsPerson` (not retried).
     */
    async searchCompany(input: {
      registrationNumber: string;
      /** 0 asks the portal now (a filing checks what is already filed). */
      maxAgeMs?: number;
    }): Promise<CompanyFacts | undefined> {
      const maxAgeMs = input.maxAgeMs ?? lookupCacheMs;
      const [cached] = await db
        .select()
        .from(companies)
        .where(
          and(
            eq(companies.registrationNumber, input.registrationNumber),
            gt(companies.lookedUpAt, new Date(Date.now() - maxAgeMs)),
          ),
        );
      // A row from before types and statuses were checked may hold a guess: ask the portal again.
      if (cached && isEnterpriseType(cached.type) && isCompanyStatus(cached.status)) {
        return {
          registrationNumber: cached.registrationNumber,
          name: cached.name,
          enterpriseType: cached.type,
          status: cached.status,
          incorporationDate: cached.incorporationDate,
          filedYears: cached.filedYears,
          ...(cached.boYear !== null && { boYear: cached.boYear }),
        };
      }
      let outcome: Awaited<ReturnType<typeof searchEnterprise>>;
      try {
        outcome = await searchEnterprise(deps.portalUrl, input.registrationNumber, {
          schedule: deps.schedule,
        });
      } catch (err) {
        if (err instanceof PortalRejected) throw ApplicationFailure.nonRetryable(err.message, err.name);
        throw err;
      }
      if (outcome.kind === 'notFound') return undefined;
      if (outcome.kind === 'needsPerson')
        throw ApplicationFailure.nonRetryable(outcome.reason, LOOKUP_NEEDS_PERSON);
      const facts = outcome.company;
      const row = {
        name: facts.name,
        type: facts.enterpriseType,
        status: facts.status,
        incorporationDate: facts.incorporationDate,
        filedYears: facts.filedYears,
        boYear: facts.boYear ?? null,
        lookedUpAt: new Date(),
      };
      await db
        .insert(companies)
        .values({ registrationNumber: facts.registrationNumber, ...row })
        .onConflictDoUpdate({ target: companies.registrationNumber, set: row });
      return facts;
    },

    async storeConversationEvent(event: NewEvent): Promise<void> {
      await storeEvent(db, event);
    },

    /** The milestone as a conversation event (once), and the filing and order rows brought up to date. */
    async recordMilestone(input: MilestoneInput): Promise<void> {
      const startedAt = await db.transaction(async (tx) => {
        const { stored } = await storeEvent(tx, {
          dedupeKey: input.dedupeKey,
          conversationId: input.conversationId,
          type: 'filing.milestone',
          payload: {
            type: 'filing.milestone',
            at: input.at,
            orderId: input.orderId,
            milestone: input.milestone,
          },
        });
        if (!stored) return undefined;
        const { kind, ...detail } = input.milestone;
        const entry = { at: input.at, milestone: kind, ...(Object.keys(detail).length > 0 && { detail }) };
        const changes = {
          status: input.status,
          updatedAt: new Date(),
          ...(input.arReferences && { arReferences: input.arReferences }),
          ...(input.certificatePath && { certificatePath: input.certificatePath }),
        };
        const [filing] = await tx
          .insert(filings)
          .values({ orderId: input.orderId, workflowId: input.workflowId, milestones: [entry], ...changes })
          .onConflictDoUpdate({
            target: filings.orderId,
            set: { ...changes, milestones: sql`${filings.milestones} || ${JSON.stringify([entry])}::jsonb` },
          })
          .returning({ createdAt: filings.createdAt });
        await tx
          .update(orders)
          .set({ status: ORDER_STATUS[input.status], updatedAt: new Date() })
          .where(eq(orders.id, input.orderId));
        return filing?.createdAt;
      });
      // Counted once (a replayed milestone stores nothing), after the commit.
      if (startedAt && FINISHED_STATUSES.has(input.status)) {
        workerMetrics.filingsFinished.inc({ outcome: input.status });
        workerMetrics.filingDuration.observe(
          { outcome: input.status },
          (Date.now() - startedAt.getTime()) / 1000,
        );
      }
    },

    /** Tells operations, and flags the conversation so the agent console lists it as needing a person. */
    async alertOperations(input: OperationsAlert): Promise<void> {
      if (input.conversationId) {
        await db
          .update(conversations)
          .set({ needsAgent: input.reason, updatedAt: new Date() })
          .where(eq(conversations.id, input.conversationId));
      }
      alert(input);
    },
  };
}
export type DatabaseActivities = ReturnType<typeof createDatabaseActivities>;

const isCompanyStatus = (value: string): value is CompanyFacts['status'] =>
  (COMPANY_STATUSES as readonly string[]).includes(value);
