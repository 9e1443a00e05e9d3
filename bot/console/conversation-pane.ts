import { formatRand } from '../../flows/cipc/format-rand.js';
import type { ConversationDetail, ConversationEntry } from '../agent/conversations/read-conversation.js';
import { CANNED_RESPONSES } from './canned-responses.js';
import { type FilingDetail, filingPanel } from './filing-panel.js';
import { html, type SafeHtml } from './html.js';

const TICKS: Record<string, SafeHtml> = {
  queued: html`<span class="ticks" title="queued" aria-label="queued">…</span>`,
  sent: html`<span class="ticks" title="sent" aria-label="sent">✓</span>`,
  delivered: html`<span class="ticks" title="delivered" aria-label="delivered">✓✓</span>`,
  read: html`<span class="ticks read" title="read" aria-label="read">✓✓</span>`,
  failed: html`<span class="ticks failed" title="failed">failed</span>`,
};

const clock = (iso: string) =>
  new Date(iso).toLocaleString('en-ZA', {
    timeZone: 'Africa/Johannesburg',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

function entry(item: ConversationEntry): SafeHtml {
  if (item.type === 'marker') return html`<li class="marker">${item.text} · ${clock(item.at)}</li>`;
  if (item.type === 'note') {
    return html`<li class="note"><strong>Private note · ${item.agentName}</strong> · ${clock(item.at)}<br>${item.text}</li>`;
  }
  const who = item.author === 'user' ? 'Owner' : item.author === 'bot' ? 'Bot' : (item.agentName ?? 'Agent');
  return html`<li class="msg ${item.author}"><span class="text">${item.text}</span>${
    item.choices?.length
      ? html`<span class="choices">${item.choices.map((c) => html`<span>${c}</span>`)}</span>`
      : ''
  }<span class="meta">${who} · ${clock(item.at)}${item.author !== 'user' && TICKS[item.status]}${
    item.status === 'failed' && item.statusReason ? ` (${item.statusReason})` : ''
  }</span></li>`;
}

function definitions(rows: [string, string | null | undefined][]): SafeHtml {
  return html`<dl>${rows
    .filter((row): row is [string, string] => Boolean(row[1]))
    .map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>`;
}

function collected(detail: ConversationDetail): SafeHtml | undefined {
  const c = detail.collected;
  if (!c) return undefined;
  const years = c.years.map((y) => `${y.year}${y.late ? ' (late)' : ''}`).join(', ');
  return html`<section><h3>Collected so far</h3>${definitions([
    ['Consent', c.consent ? `given (${c.consent.version})` : 'not yet'],
    ['Registration number', c.registrationNumber],
    ['Company', c.company ? `${c.company.name} · ${c.company.status}` : null],
    ['Years to file', years],
    ['Records keeper', c.fas && `${c.fas.recordsKeeper.name} · ID ${c.fas.recordsKeeper.idNumber}`],
    ['Prepared by', c.fas && `${c.fas.preparer.name} · ID ${c.fas.preparer.idNumber}`],
    ['Email', c.email],
  ])}</section>`;
}

function quote(detail: ConversationDetail): SafeHtml | undefined {
  const q = detail.quote;
  if (!q) return undefined;
  return html`<section><h3>Quote</h3><table>
    ${q.years.map(
      (y) =>
        html`<tr><td>AR ${y.year}${y.late ? ' (late)' : ''}<br><span class="muted">${y.bandTitle}</span></td><td>${formatRand(y.feeCents)}</td></tr>`,
    )}
    <tr><td>Service fee</td><td>${formatRand(q.serviceFeeCents)}</td></tr>
    <tr class="total"><td>Total</td><td>${formatRand(q.totalCents)}</td></tr>
  </table></section>`;
}

function order(detail: ConversationDetail): SafeHtml | undefined {
  const o = detail.order;
  if (!o) return undefined;
  return html`<section><h3>Order and payment</h3>${definitions([
    ['Reference', o.reference],
    ['Status', o.status],
    ['Amount', formatRand(o.amountCents)],
    ['Paid', o.paidAt && clock(o.paidAt)],
    ...o.payments.map((p): [string, string] => [
      p.provider === 'payfast' ? 'PayFast' : 'Ozow',
      `${formatRand(p.amountCents)} ${p.status}`,
    ]),
  ])}</section>`;
}

function details(detail: ConversationDetail, filing: FilingDetail | null): SafeHtml {
  return html`<aside class="details" aria-label="Details">
  ${collected(detail)}${quote(detail)}${order(detail)}${filing && filingPanel(filing)}
  <section hx-ext="json-api">
    <h3>Private note</h3>
    <form class="inline" hx-post="/api/v1/agent/conversations/${detail.id}/notes" hx-swap="none" data-done="Note added.">
      <label for="note" class="sr-only">Private note</label>
      <textarea id="note" name="text" rows="2" required maxlength="2000" placeholder="Only agents see notes"></textarea>
      <button type="submit" class="secondary">Add note</button>
    </form>
  </section>
</aside>`;
}

function composer(detail: ConversationDetail, mine: boolean): SafeHtml {
  const window = detail.windowOpen
    ? html`<span class="window">24-hour window: <span data-until="${detail.windowEndsAt}">open</span></span>`
    : html`<span class="window closed">24-hour window closed</span>`;
  if (!mine) {
    return html`<footer class="composer"><div class="tools">${window}</div>
  <p class="locked">${
    detail.owner === 'agent'
      ? `${detail.assignedAgent?.name || 'An agent in AiSensy’s inbox'} has this conversation. Take over to reply.`
      : 'The bot is answering. Take over to reply yourself.'
  }</p></footer>`;
  }
  if (!detail.windowOpen) {
    // Every approved text template reads "Hi {{1}}, ... {{2}} ...": the owner's first name, then the reply.
    return html`<footer class="composer" hx-ext="json-api">
  <div class="tools">${window}<span class="muted">Outside the window WhatsApp only delivers an approved template.</span></div>
  <form hx-post="/api/v1/agent/conversations/${detail.id}/messages" hx-swap="none" data-done="Template sent.">
    <label for="template">Template</label>
    <select id="template" name="template" required>
      ${detail.templates.map((t) => html`<option value="${t.name}">${t.name}: ${t.body}</option>`)}
    </select>
    <input type="hidden" name="params[]" value="${detail.firstName ?? 'there'}">
    <label for="reply">Reply</label>
    <div class="row">
      <textarea id="reply" name="params[]" rows="2" required maxlength="900" hx-preserve></textarea>
      <button type="submit">Send</button>
    </div>
  </form>
</footer>`;
  }
  return html`<footer class="composer" hx-ext="json-api">
  <form hx-post="/api/v1/agent/conversations/${detail.id}/messages" hx-swap="none">
    <div class="tools">
      <label for="reply">Reply</label>
      <select data-canned aria-label="Canned responses">
        <option value="">Canned responses…</option>
        ${CANNED_RESPONSES.map((c) => html`<option value="${c.text}">${c.label}</option>`)}
      </select>
      ${window}
    </div>
    <div class="row">
      <textarea id="reply" name="text" rows="2" required maxlength="4096" placeholder="Type a reply to ${detail.firstName ?? 'the owner'}" hx-preserve></textarea>
      <button type="submit">Send</button>
    </div>
  </form>
</footer>`;
}

function actions(detail: ConversationDetail, mine: boolean, team: { id: string; name: string }[]): SafeHtml {
  const others = team.filter((a) => a.id !== detail.assignedAgent?.id);
  return html`<div class="actions" hx-ext="json-api">
  ${
    mine
      ? html`<form hx-post="/api/v1/agent/conversations/${detail.id}/release" hx-swap="none" data-done="Handed back to the bot.">
      <select name="mode" aria-label="Hand back how">
        <option value="resume">Resume where it was</option>
        <option value="restart">Start over</option>
      </select>
      <button type="submit" class="secondary">Hand back</button>
    </form>`
      : html`<button type="button" hx-post="/api/v1/agent/conversations/${detail.id}/takeover" hx-swap="none">Take over</button>`
  }
  ${
    others.length > 0 &&
    html`<form hx-post="/api/v1/agent/conversations/${detail.id}/assign" hx-swap="none" data-done="Assigned.">
      <select name="agentId" aria-label="Assign to" required>
        ${others.map((a) => html`<option value="${a.id}">${a.name}</option>`)}
      </select>
      <input name="reason" aria-label="Reason" placeholder="Reason" required maxlength="500">
      <button type="submit" class="secondary">Assign</button>
    </form>`
  }
</div>`;
}

/**
 * The right pane: who, who holds it, the actions, the transcript with the composer under it and the
 * details beside it. It reloads itself when the live stream names this conversation or after an action
 * here; the reply box keeps what the agent is typing across reloads (hx-preserve).
 */
export function conversationPane(
  detail: ConversationDetail,
  filing: FilingDetail | null,
  agentId: string,
  team: { id: string; name: string }[],
): SafeHtml {
  const mine = detail.owner === 'agent' && detail.assignedAgent?.id === agentId;
  const state =
    detail.owner === 'agent'
      ? `With ${detail.assignedAgent?.name || 'an agent'}`
      : detail.needsAgent
        ? 'Waiting for a person'
        : 'With the bot';
  return html`<section id="conversation" class="conversation-pane" data-id="${detail.id}" aria-label="Conversation"
  hx-get="/agent/fragments/conversations/${detail.id}" hx-trigger="sse:conversation-${detail.id} delay:150ms, console:changed from:body"
  hx-swap="outerHTML">
  <header class="conversation-head">
    <div class="title">
      <h2>${detail.name ?? 'No name yet'} · ${detail.phoneDisplay}</h2>
      <span class="muted">${state}${detail.companyName && ` · ${detail.companyName}`}${detail.step && ` · at “${detail.step}”`}${
        detail.optedOut && ' · opted out (STOP)'
      }</span>
    </div>
    ${actions(detail, mine, team)}
  </header>
  ${detail.needsAgent && html`<p class="needs" role="status"><strong>Needs a person:</strong> ${detail.needsAgent}</p>`}
  <div class="conversation-body">
    <div class="thread">
      <ol class="transcript" aria-label="Transcript">${detail.transcript.map(entry)}</ol>
      ${composer(detail, mine)}
    </div>
    ${details(detail, filing)}
  </div>
</section>`;
}

/** The right pane before a conversation is chosen. */
export function emptyConversationPane(): SafeHtml {
  return html`<section id="conversation" class="conversation-pane"><p class="placeholder">Choose a conversation from the queue.</p></section>`;
}
