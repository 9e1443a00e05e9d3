import { html, type SafeHtml } from './html.js';

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  subject: string;
  details: unknown;
}

export interface AuditFilter {
  action?: string;
  subject?: string;
  before?: number;
}

/** The actions an admin filters by most; the field takes any other name too. */
const KNOWN_ACTIONS = [
  'conversation.viewed',
  'conversation.taken_over',
  'conversation.message_sent',
  'conversation.note_added',
  'conversation.assigned',
  'conversation.released',
  'conversation.released_idle',
  'filing.retried',
  'filing.captcha_answered',
  'filing.balance_topped_up',
  'filing.marked_filed',
  'filing.cancelled',
  'agent.logged_in',
  'agent.logged_out',
  'agent.locked_out',
];

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-ZA', {
    timeZone: 'Africa/Johannesburg',
    dateStyle: 'medium',
    timeStyle: 'medium',
  });

/** The audit log for admins, newest first, narrowed by action or subject, a page at a time. */
export function auditView(rows: AuditRow[], filter: AuditFilter, next: number | null): SafeHtml {
  const older = new URLSearchParams({
    ...(filter.action && { action: filter.action }),
    ...(filter.subject && { subject: filter.subject }),
    ...(next !== null && { before: String(next) }),
  });
  return html`<section class="audit" aria-label="Audit log">
  <h2>Audit log</h2>
  <p class="muted">Every view of a conversation’s personal data and every agent action, newest first.</p>
  <form class="audit-filter" method="get" action="/agent/audit">
    <label for="audit-action">Action</label>
    <input id="audit-action" name="action" list="audit-actions" value="${filter.action ?? ''}" placeholder="any">
    <datalist id="audit-actions">${KNOWN_ACTIONS.map((a) => html`<option value="${a}"></option>`)}</datalist>
    <label for="audit-subject">Subject</label>
    <input id="audit-subject" name="subject" value="${filter.subject ?? ''}" placeholder="conversation:…">
    <button type="submit" class="secondary">Filter</button>
  </form>
  <table>
    <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Subject</th><th>Details</th></tr></thead>
    <tbody>${
      rows.length > 0
        ? rows.map(
            (row) =>
              html`<tr><td>${when(row.at)}</td><td>${row.actorName ?? row.actor}</td><td>${row.action}</td><td>${row.subject}</td><td class="audit-details">${
                row.details ? JSON.stringify(row.details) : ''
              }</td></tr>`,
          )
        : html`<tr><td colspan="5" class="empty">No entries.</td></tr>`
    }</tbody>
  </table>
  ${next !== null && html`<p><a href="/agent/audit?${older.toString()}">Older entries</a></p>`}
</section>`;
}
