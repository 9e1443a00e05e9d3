import { lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Config } from '../../config/load-config.js';
import type { Db } from '../../db/create-database.js';
import { agentSessions } from '../../db/schema.js';
import { recordAudit } from '../agent/audit/record-audit.js';
import { startPolling } from '../start-polling.js';
import { purgeAbandonedLeads } from './purge-abandoned-leads.js';
import { purgeFilingArtefacts } from './purge-filing-artefacts.js';

export interface RetentionReport {
  leads: number;
  artefacts: number;
  sessions: number;
}

/**
 * The retention periods, applied every few hours by every replica (each pass skips what another holds):
 * abandoned leads after RETENTION_DAYS_LEADS, filing screenshots and traces after
 * RETENTION_DAYS_ARTEFACTS, and expired console sessions. A pass that removed something says so in the
 * log (counts only) and, for artefacts, in the audit log (leads audit themselves, one row each).
 */
export function createRetentionJob(deps: {
  db: Db;
  config: Pick<Config, 'dataDir' | 'retention'>;
  logger: Pick<Logger, 'info' | 'error'>;
  now?: () => Date;
  intervalMs?: number;
}) {
  const now = deps.now ?? (() => new Date());
  let polling: ReturnType<typeof startPolling> | undefined;

  async function runOnce(): Promise<RetentionReport> {
    const at = now();
    const leads = await purgeAbandonedLeads(deps.db, { now: at, leadDays: deps.config.retention.leadDays });
    const artefacts = await purgeFilingArtefacts(deps.config.dataDir, {
      now: at,
      artefactDays: deps.config.retention.artefactDays,
    });
    if (artefacts.purged > 0) {
      await recordAudit(deps.db, {
        actor: 'system',
        action: 'artefacts.purged',
        subject: 'filing-artefacts',
        details: { folders: artefacts.purged, retentionDays: deps.config.retention.artefactDays },
      });
    }
    const sessions = await deps.db
      .delete(agentSessions)
      .where(lt(agentSessions.expiresAt, sql`now()`))
      .returning({ id: agentSessions.id });
    const report = { leads: leads.purged, artefacts: artefacts.purged, sessions: sessions.length };
    if (report.leads + report.artefacts > 0)
      deps.logger.info({ retention: report }, 'retention pass purged data');
    return report;
  }

  return {
    runOnce,
    start(): void {
      polling ??= startPolling(runOnce, deps.intervalMs ?? 6 * 3_600_000, (err) =>
        deps.logger.error({ err }, 'retention pass failed'),
      );
    },
    async stop(): Promise<void> {
      await polling?.stop();
      polling = undefined;
    },
  };
}
