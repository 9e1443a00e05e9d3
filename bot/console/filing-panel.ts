import { html, type SafeHtml } from './html.js';

/** The fields of `GET /api/v1/agent/filings/:id` the panel shows. */
export interface FilingDetail {
  id: string;
  status: string;
  milestones: { at: string; milestone: string; detail?: unknown }[];
  arReferences: string[];
  needs:
    | { waiting: true; reason: string; since: string; captcha: boolean; actions: string[] }
    | { waiting: false; why: string; answer?: { action: string; agentName: string; at: string } };
  actions: { action: string; agentName: string; at: string }[];
}

const STATUS: Record<string, string> = {
  running: 'Filing at CIPC',
  waiting_for_person: 'Waiting for a person',
  filed: 'Filed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const ANSWERS: Record<string, string> = {
  retry: 'retry',
  captcha: 'security code typed by hand',
  balanceToppedUp: 'balance topped up',
};

function milestoneText({ milestone, detail }: FilingDetail['milestones'][number]): string {
  const d = (detail ?? {}) as Record<string, unknown>;
  switch (milestone) {
    case 'started':
      return 'Filing started';
    case 'loggedIn':
      return 'Logged in to CIPC';
    case 'yearSubmitted':
      return `${d.year ?? 'A year'} filed${d.arReference ? ` (${d.arReference})` : ''}`;
    case 'waitingForPerson':
      return `Needs a person: ${d.reason ?? ''}`;
    case 'delayed':
      return `Delayed: ${d.reason ?? ''}`;
    case 'completed':
      return 'Completed, certificate sent';
    case 'failed':
      return `Failed: ${d.reason ?? ''}`;
    case 'resumed':
      return `Resumed (${ANSWERS[String(d.by)] ?? String(d.by ?? 'a person')})`;
    case 'cancelled':
      return 'Cancelled by a person';
    case 'filedByHand':
      return 'Filed by hand';
    default:
      return milestone;
  }
}

const when = (iso: string) =>
  new Date(iso).toLocaleTimeString('en-ZA', {
    timeZone: 'Africa/Johannesburg',
    hour: '2-digit',
    minute: '2-digit',
  });

/**
 * A filing's progress and, while it waits for a person, the actions that fit the wait (as the filing API
 * lists them): each form posts one action, which the API records and signals to the workflow.
 */
export function filingPanel(filing: FilingDetail): SafeHtml {
  const url = `/api/v1/agent/filings/${filing.id}/actions`;
  const vals = (action: string) => JSON.stringify({ action });
  const needs = filing.needs;
  const can = (action: string) => needs.waiting && needs.actions.includes(action);
  return html`<section aria-label="Filing">
  <h3>Filing</h3>
  <p><strong>${STATUS[filing.status] ?? filing.status}</strong>${
    filing.arReferences.length > 0 && html` · AR ${filing.arReferences.join(', ')}`
  }</p>
  ${
    filing.milestones.length > 0 &&
    html`<ol class="milestones">${filing.milestones.map(
      (m) => html`<li>${milestoneText(m)} <span class="muted">${when(m.at)}</span></li>`,
    )}</ol>`
  }
  ${!needs.waiting && needs.answer && html`<p class="muted">${needs.why}</p>`}
  ${
    needs.waiting &&
    html`<div class="rescue" hx-ext="json-api">
    <p><strong>Why:</strong> ${needs.reason}</p>
    ${
      can('captcha') &&
      html`<form hx-post="${url}" hx-vals="${vals('captcha')}" hx-swap="none" data-done="Security code sent to the filing.">
      <img src="/api/v1/agent/filings/${filing.id}/captcha" alt="The CIPC portal's security code">
      <label for="captcha-text">Security code</label>
      <input id="captcha-text" name="text" required autocomplete="off" maxlength="32" pattern="[A-Za-z0-9]+">
      <button type="submit">Submit code</button>
    </form>`
    }
    ${
      can('retry') &&
      html`<button type="button" class="secondary" hx-post="${url}" hx-vals="${vals('retry')}" hx-swap="none" data-done="Retrying now.">Retry now</button>`
    }
    ${
      can('balanceToppedUp') &&
      html`<button type="button" class="secondary" hx-post="${url}" hx-vals="${vals('balanceToppedUp')}" hx-swap="none" data-done="The filing carries on.">Balance topped up</button>`
    }
    ${
      can('markFiled') &&
      html`<form hx-post="${url}" hx-vals="${vals('markFiled')}" hx-swap="none" data-done="Marked filed.">
      <label for="ar-reference">AR reference</label>
      <input id="ar-reference" name="arReference" required maxlength="400" placeholder="AR2026…">
      <button type="submit" class="secondary">Mark filed</button>
    </form>`
    }
    ${
      can('cancel') &&
      html`<form hx-post="${url}" hx-vals="${vals('cancel')}" hx-swap="none" data-done="Filing cancelled.">
      <label for="refund-note">Refund note</label>
      <textarea id="refund-note" name="refundNote" rows="2" required minlength="3" maxlength="500"></textarea>
      <button type="submit" class="danger">Cancel filing</button>
    </form>`
    }
  </div>`
  }
</section>`;
}
