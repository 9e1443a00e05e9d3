import type { QueueItem, QueueState } from '../agent/conversations/list-conversations.js';
import { html, type SafeHtml } from './html.js';

export const QUEUE_VIEWS: readonly { state: QueueState; label: string }[] = [
  { state: 'waiting', label: 'Waiting' },
  { state: 'mine', label: 'Mine' },
  { state: 'bot', label: 'Bot' },
  { state: 'all', label: 'All' },
];

function badge(item: QueueItem): SafeHtml {
  if (item.owner === 'agent') {
    return html`<span class="badge agent">${item.assignedAgent ? `With ${item.assignedAgent.name}` : 'With an agent'}</span>`;
  }
  if (item.needsAgent) {
    const since = item.waitingSince ?? item.updatedAt;
    return html`<span class="badge waiting">Waiting <span data-since="${since}">${waitedFor(since)}</span></span>`;
  }
  return html`<span class="badge">Bot</span>`;
}

function waitedFor(since: string): string {
  const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 60_000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function queueItem(item: QueueItem): SafeHtml {
  const company = [item.companyName, item.registrationNumber].filter(Boolean).join(' · ');
  return html`<li><a href="/agent/conversations/${item.id}" data-conversation-id="${item.id}"
  hx-get="/agent/fragments/conversations/${item.id}" hx-target="#conversation" hx-swap="outerHTML"
  hx-push-url="/agent/conversations/${item.id}">
  <span class="phone">${item.phoneDisplay}</span>${badge(item)}
  <span class="who">${item.name ?? 'No name yet'}${company && html` · ${company}`}</span>
  ${item.lastMessage && html`<span class="preview">${item.lastMessage.text}</span>`}
</a></li>`;
}

/**
 * The left pane: the four views, the search box and the list. It reloads itself (keeping the view and
 * the search) whenever the live stream says a conversation changed, and every 30 s for the wait times.
 * `waitingCount` shows on the Waiting button without becoming part of its accessible name.
 */
export function queuePane(state: QueueState, q: string, items: QueueItem[], waitingCount?: number): SafeHtml {
  const refresh = `/agent/fragments/queue?state=${state}`;
  return html`<form id="queue-pane" class="queue-pane" role="search" aria-label="Conversations"
  hx-get="${refresh}" hx-trigger="input from:#queue-search delay:300ms, submit, sse:conversation delay:250ms, every 30s"
  hx-target="this" hx-swap="outerHTML">
  <div class="queue-head">
    <div class="views" role="group" aria-label="Queue views">
      ${QUEUE_VIEWS.map(
        (view) => html`<button type="button" aria-pressed="${view.state === state}"
        hx-get="/agent/fragments/queue?state=${view.state}" hx-include="#queue-search" hx-target="#queue-pane" hx-swap="outerHTML">${view.label}${
          view.state === 'waiting' && waitingCount
            ? html`<span class="count" aria-hidden="true">${waitingCount}</span>`
            : ''
        }</button>`,
      )}
    </div>
    <input id="queue-search" name="q" type="search" value="${q}" aria-label="Search"
      placeholder="Search phone, company or registration number" autocomplete="off" hx-preserve>
  </div>
  <ul class="queue-list" aria-label="${QUEUE_VIEWS.find((v) => v.state === state)?.label} conversations">
    ${items.length ? items.map(queueItem) : html`<li class="empty">${q ? 'Nothing matches your search.' : 'Nothing here right now.'}</li>`}
  </ul>
</form>`;
}
