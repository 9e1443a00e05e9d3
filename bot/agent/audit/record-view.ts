import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/create-database.js';

/** A console keeps an open conversation fresh by re-reading it; one look is one view for this long. */
export const VIEW_WINDOW_MINUTES = 5;

/**
 * Records that an agent viewed a subject's personal data (`conversation.viewed`, ...), unless the same agent's
 * view of it is already on record from the last few minutes: the live console re-reads an open conversation
 * on every change, and a row per refresh would bury the views an auditor looks for under thousands of
 * repeats. The first look, and every look after a pause, are kept.
 */
export async function recordView(db: Db | Tx, view: { actor: string; action: string; subject: string }) {
  await db.execute(sql`
    insert into audit_log (actor, action, subject)
    select ${view.actor}, ${view.action}, ${view.subject}
    where not exists (
      select 1 from audit_log
      where subject = ${view.subject} and actor = ${view.actor} and action = ${view.action}
        and at > now() - make_interval(mins => ${VIEW_WINDOW_MINUTES})
    )`);
}
