import { AGENT_TEMPLATES } from '../agent/conversations/agent-templates.js';
import { CANNED_RESPONSES } from './canned-responses.js';
import type { ConversationView, TranscriptEntry } from './conversation-view.js';
import { filingPanel } from './filing-panel.js';
import { formatPhone } from './format-phone.js';
import { html, type SafeHtml } from './html.js';

const TICKS: Record<string, SafeHtml> = {
  queued: html`<span class="ticks" title="queued">🕓</span>`,
  sent: html`<span class="ticks" title="sent" aria-label="sent">✓</span>`,
  delivered: html`<span class="ticks" title="delivered" aria-label="delivered">✓✓</span>`,
  read: html`<span class="ticks read" title="read" aria-label="read">✓✓</span>`,
  failed: html`<span class="ticks failed" title="failed" aria-label="failed">failed</span>`,
};

const clock = (iso: string) =>
  new Date(iso).toLocaleString('en-ZA', {
    timeZone: 'Africa/Johannesburg',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

function entry(item: TranscriptEntry): SafeHtml {
  if (item.type === 'marker') return html`<li class="marker">${item.text} · ${clock(item.at)}</li>`;
  if (item.type === 'note') {
    return html`<li class="note"><strong>Private note · ${item.agentName}</strong> · ${clock(item.at)}<br>${item.text}</li>`;
  }
  const who = item.author === 'user' ? 'Owner' : item.author === 'bot' ? 'Bot' : (item.agentName ?? 'Agent');
  return html`<li class="msg ${item.author}">${item.text}${
    item.choices?.length
      ? html`<span class="choices">${item.choices.map((c) => html`<span>${c}</span>`)}</span>`
      : ''
  }<span class="meta">${who} · ${clock(item.at)}${item.author !== 'user' && TICKS[item.status]}${
    item.status === 'failed' && item.statusReason ? ` (${item.statusReason})` : ''
  }</span></li>`;
}

function details(view: ConversationView): SafeHtml {
  const { collected, quote, order } = view;
  return html`<aside class="details" aria-label="Details">
  ${
    collected.length > 0 &&
    html`<section><h3>Collected so far</h3><dl>${collected.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>`
  }
  ${
    quote &&
    html`<section><h3>Quote</h3><table>${quote.lines.map(
      ([label, amount]) => html`<tr><td>${label}</td><td>${amount}</td></tr>`,
    )}<tr class="total"><td>Total</td><td>${quote.total}</td></tr></table></section>`
  }
  ${
    order &&
    html`<section><h3>Order and payment</h3><dl>${order.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>`
  }
  ${view.filing && filingPanel(view.filing)}
  <section hx-ext="json-api">
    <h3>Private note</h3>
    <form class="inline" hx-post="/api/v1/agent/conversations/${view.id}/notes" hx-swap="none" data-done="Note added.">
      <label for="note" class="sr-only">Private note</label>
      <textarea id="note" name="text" rows="2" required maxlength="2000" placeholder="Only agents see notes"></textarea>
      <button type="submit" class="secondary">Add note</button>
    </form>
  </section>
</aside>`;
}

function composer(view: ConversationView, agentId: string): SafeHtml {
  const mine = view.owner === 'agent' && view.assignedAgent?.id === agentId;
  const window = view.windowEndsAt
    ? html`<span class="window">24-hour window: <span data-until="${view.windowEndsAt}">…</span></span>`
    : html`<span class="window closed">24-hour window closed</span>`;
  if (!mine) {
    return html`<footer class="composer"><div class="tools">${window}</div>
  <p class="locked">${
    view.owner === 'agent'
      ? `${view.assignedAgent?.name ?? 'Another agent'} has this conversation. Take over to reply.`
      : 'The bot is answering. Take over to reply yourself.'
  }</p></footer>`;
  }
  const open = view.windowEndsAt !== null && Date.parse(view.windowEndsAt) > Date.now();
  if (!open) {
    // Every approved text template reads "Hi {{1}}, ... {{2}} ...": the owner's first name, then the reply.
    return html`<footer class="composer" hx-ext="json-api">
  <div class="tools">${window}<span class="muted">Outside the window WhatsApp only delivers an approved template.</span></div>
  <form hx-post="/api/v1/agent/conversations/${view.id}/messages" hx-swap="none" data-done="Template sent.">
    <label for="template">Template</label>
    <select id="template" name="template" required>
      ${AGENT_TEMPLATES.map((t) => html`<option value="${t.name}">${t.name}: ${t.body}</option>`)}
    </select>
    <input type="hidden" name="params[]" value="${view.firstName ?? 'there'}">
    <label for="reply">Reply</label>
    <div class="row">
      <textarea id="reply" name="params[]" rows="2" required maxlength="900" hx-preserve></textarea>
      <button type="submit">Send</button>
    </div>
  </form>
</footer>`;
  }
  return html`<footer class="composer" hx-ext="json-api">
  <form hx-post="/api/v1/agent/conversations/${view.id}/messages" hx-swap="none">
    <div class="tools">
      <label for="reply">Reply</label>
      <select data-canned aria-label="Canned responses">
        <option value="">Canned responses…</option>
        ${CANNED_RESPONSES.map((c) => html`<option value="${c.text}">${c.label}</option>`)}
      </select>
      ${window}
    </div>
    <div class="row">
      <textarea id="reply" name="text" rows="2" required maxlength="4096" placeholder="Type a reply to ${view.firstName ?? 'the owner'}" hx-preserve></textarea>
      <button type="submit">Send</button>
    </div>
  </form>
</footer>`;
}

function actions(view: ConversationView, agentId: string, agents: { id: string; name: string }[]): SafeHtml {
  const mine = view.owner === 'agent' && view.assignedAgent?.id === agentId;
  const others = agents.filter((a) => a.id !== view.assignedAgent?.id);
  return html`<div class="actions" hx-ext="json-api">
  ${
    mine
      ? html`<form hx-post="/api/v1/agent/conversations/${view.id}/release" hx-swap="none" data-done="Handed back to the bot.">
      <select name="mode" aria-label="Hand back how">
        <option value="resume">Resume where it was</option>
        <option value="restart">Start over</option>
      </select>
      <button type="submit" class="secondary">Hand back</button>
    </form>`
      : html`<button type="button" hx-post="/api/v1/agent/conversations/${view.id}/takeover" hx-swap="none">Take over</button>`
  }
  ${
    others.length > 0 &&
    html`<form hx-post="/api/v1/agent/conversations/${view.id}/assign" hx-swap="none" data-done="Assigned.">
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
 * The right pane: who, what state, the actions, the transcript with the composer under it and the
 * details beside it. It reloads itself when the live stream names this conversation or after an action
 * here; the reply box keeps what the agent is typing across reloads (hx-preserve).
 */
export function conversationPane(
  view: ConversationView,
  agentId: string,
  agents: { id: string; name: string }[],
): SafeHtml {
  const state =
    view.owner === 'agent'
      ? `With ${view.assignedAgent?.name ?? 'an agent'}`
      : view.needsAgent
        ? 'Waiting for a person'
        : 'With the bot';
  return html`<section id="conversation" class="conversation-pane" data-id="${view.id}" aria-label="Conversation"
  hx-get="/agent/fragments/conversations/${view.id}" hx-trigger="sse:conversation-${view.id} delay:150ms, console:changed from:body"
  hx-swap="outerHTML">
  <header class="conversation-head">
    <div class="title">
      <h2>${view.name ?? 'No name yet'} · ${formatPhone(view.phone)}</h2>
      <span class="muted">${state}${view.companyName && ` · ${view.companyName}`}${view.stateName && ` · at “${view.stateName}”`}</span>
    </div>
    ${actions(view, agentId, agents)}
  </header>
  ${view.needsAgent && html`<p class="needs" role="status"><strong>Needs a person:</strong> ${view.needsAgent}</p>`}
  <div class="conversation-body">
    <div class="thread">
      <ol class="transcript" aria-label="Transcript">${view.transcript.map(entry)}</ol>
      ${composer(view, agentId)}
    </div>
    ${details(view)}
  </div>
</section>`;
}

/** The right pane before a conversation is chosen. */
export function emptyConversationPane(): SafeHtml {
  return html`<section id="conversation" class="conversation-pane"><p class="placeholder">Choose a conversation from the queue.</p></section>`;
}
