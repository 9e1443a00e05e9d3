import type { FilingView } from './conversation-view.js';
import { html, type SafeHtml } from './html.js';

const STATUS: Record<string, string> = {
  running: 'Filing at CIPC',
  waiting_for_person: 'Waiting for a person',
  filed: 'Filed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const when = (iso: string) =>
  new Date(iso).toLocaleTimeString('en-ZA', {
    timeZone: 'Africa/Johannesburg',
    hour: '2-digit',
    minute: '2-digit',
  });

/**
 * A filing's progress and, while it waits for a person, the ways to get it moving: each form posts one
 * action to the filing's JSON route, which signals the workflow and records who did it.
 */
export function filingPanel(filing: FilingView): SafeHtml {
  const url = `/api/v1/agent/filings/${filing.id}/actions`;
  const action = (name: string) => JSON.stringify({ action: name });
  return html`<section aria-label="Filing">
  <h3>Filing</h3>
  <p><strong>${STATUS[filing.status] ?? filing.status}</strong>${filing.arReferences.length > 0 && html` · AR ${filing.arReferences.join(', ')}`}</p>
  ${
    filing.milestones.length > 0 &&
    html`<ol class="milestones">${filing.milestones.map((m) => html`<li>${m.text} <span class="muted">${when(m.at)}</span></li>`)}</ol>`
  }
  ${
    filing.status === 'waiting_for_person' &&
    html`<div class="rescue" hx-ext="json-api">
    ${filing.waitingFor && html`<p><strong>Why:</strong> ${filing.waitingFor}</p>`}
    ${
      filing.hasCaptcha &&
      html`<form hx-post="${url}" hx-vals="${action('captcha')}" hx-swap="none" data-done="Captcha sent to the filing.">
      <img src="/api/v1/agent/filings/${filing.id}/captcha" alt="The CIPC portal's security code">
      <label for="captcha-text">Security code</label>
      <input id="captcha-text" name="text" required autocomplete="off" maxlength="20">
      <button type="submit">Submit code</button>
    </form>`
    }
    <button type="button" class="secondary" hx-post="${url}" hx-vals="${action('retry')}" hx-swap="none" data-done="Retrying now.">Retry now</button>
    <button type="button" class="secondary" hx-post="${url}" hx-vals="${action('balanceToppedUp')}" hx-swap="none" data-done="The filing carries on.">Balance topped up</button>
    <form hx-post="${url}" hx-vals="${action('markFiled')}" hx-swap="none" data-done="Marked filed.">
      <label for="ar-reference">AR reference</label>
      <input id="ar-reference" name="arReference" required maxlength="40" placeholder="AR2026…">
      <button type="submit" class="secondary">Mark filed</button>
    </form>
    <form hx-post="${url}" hx-vals="${action('cancel')}" hx-swap="none" data-done="Filing cancelled.">
      <label for="refund-note">Refund note</label>
      <textarea id="refund-note" name="refundNote" rows="2" required maxlength="500"></textarea>
      <button type="submit" class="danger">Cancel filing</button>
    </form>
  </div>`
  }
</section>`;
}
