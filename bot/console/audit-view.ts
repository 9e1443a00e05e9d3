import { html, type SafeHtml } from './html.js';

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  actorName?: string | null;
  action: string;
  subject: string;
  details: unknown;
}

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-ZA', {
    timeZone: 'Africa/Johannesburg',
    dateStyle: 'medium',
    timeStyle: 'medium',
  });

/** The audit log for admins, newest first: who read or changed what, and when. */
export function auditView(rows: AuditRow[]): SafeHtml {
  return html`<section class="audit" aria-label="Audit log" hx-get="/agent/fragments/audit" hx-trigger="every 10s" hx-swap="outerHTML">
  <h2>Audit log</h2>
  <p class="muted">Every view of a conversation’s personal data and every agent action, newest first.</p>
  <table>
    <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Subject</th><th>Details</th></tr></thead>
    <tbody>${rows.map(
      (row) =>
        html`<tr><td>${when(row.at)}</td><td>${row.actorName ?? row.actor}</td><td>${row.action}</td><td>${row.subject}</td><td class="audit-details">${
          row.details ? JSON.stringify(row.details) : ''
        }</td></tr>`,
    )}</tbody>
  </table>
</section>`;
}
