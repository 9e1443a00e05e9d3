// The sandbox phone: polls the chat of one number and sends what the user types or taps.
const base = document.body.dataset.base;
const businessName = document.body.dataset.business;
const POLL_MS = 400;
const NUMBER = /^\+?[1-9]\d{7,14}$/;
const TICKS = {
  pending: ['○', 'Pending'],
  sent: ['✓', 'Sent'],
  delivered: ['✓✓', 'Delivered'],
  read: ['✓✓', 'Read'],
  failed: ['!', 'Not delivered'],
};

const $ = (id) => document.getElementById(id);
const state = { phone: '', name: '', messages: [], rendered: '', timer: undefined };

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (key === 'class') node.className = value;
    else if (key === 'html') node.innerHTML = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** WhatsApp formatting: *bold*, _italic_, ~strike~, ```mono```, links and line breaks. */
function formatText(text) {
  const edge = '(^|[\\s(])';
  const end = '(?=[\\s).,!?:;]|$)';
  return escapeHtml(text)
    .replace(/```([\s\S]+?)```/g, '<code>$1</code>')
    .replace(new RegExp(`${edge}\\*([^*\\n]+)\\*${end}`, 'gm'), '$1<strong>$2</strong>')
    .replace(new RegExp(`${edge}_([^_\\n]+)_${end}`, 'gm'), '$1<em>$2</em>')
    .replace(new RegExp(`${edge}~([^~\\n]+)~${end}`, 'gm'), '$1<s>$2</s>')
    .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}" target="_blank" rel="noopener">${url}</a>`)
    .replace(/\n/g, '<br>');
}

const textBlock = (text, cls = 'text') => el('div', { class: cls, html: formatText(text) });

function fileCard(url, filename, caption) {
  const name = filename || decodeURIComponent(url.split('/').pop() || 'document');
  const kind = (name.split('.').pop() || 'file').toUpperCase();
  const openable = url.startsWith('http');
  return el(
    'div',
    {},
    el(
      openable ? 'a' : 'div',
      {
        class: 'file',
        href: openable ? url : undefined,
        target: openable ? '_blank' : undefined,
        rel: openable ? 'noopener' : undefined,
        download: openable ? name : undefined,
        'aria-label': `Document ${name}`,
      },
      el('span', { class: 'file-icon', 'aria-hidden': 'true' }, kind.slice(0, 4)),
      el(
        'span',
        {},
        el('div', { class: 'file-name' }, name),
        el('div', { class: 'file-kind' }, `${kind} · Open`),
      ),
    ),
    caption ? textBlock(caption) : undefined,
  );
}

function replyButtons(message, buttons) {
  return el(
    'div',
    { class: 'actions' },
    buttons.map((button) =>
      el(
        'button',
        { type: 'button', onclick: () => send({ buttonReply: button, contextId: message.wamid }) },
        `↩ ${button.title}`,
      ),
    ),
  );
}

function openSheet(message) {
  const content = message.content;
  $('sheet-title').textContent = content.button;
  $('sheet-body').replaceChildren(
    ...content.sections.map((section) =>
      el(
        'section',
        {},
        section.title ? el('h4', {}, section.title) : undefined,
        section.rows.map((row) =>
          el(
            'button',
            {
              type: 'button',
              class: 'row',
              onclick: () => {
                closeSheet();
                send({ listReply: row, contextId: message.wamid });
              },
            },
            el('span', { class: 'row-title' }, row.title),
            row.description ? el('span', { class: 'row-description' }, row.description) : undefined,
          ),
        ),
      ),
    ),
  );
  $('sheet').hidden = false;
  $('sheet-close').focus();
}

function closeSheet() {
  $('sheet').hidden = true;
  $('message').focus();
}

function framed(content, ...middle) {
  return [
    content.header ? el('div', { class: 'header' }, content.header) : undefined,
    textBlock(content.body),
    content.footer ? el('div', { class: 'footer' }, content.footer) : undefined,
    ...middle,
  ];
}

function quoteOf(contextId) {
  const quoted = state.messages.find((m) => m.wamid === contextId);
  if (!quoted) return undefined;
  const content = quoted.content;
  const text = content.body ?? content.text ?? content.caption ?? content.filename ?? '';
  return el('div', { class: 'quote' }, text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Returns [bubble children, children below the bubble]. */
function renderContent(message) {
  const content = message.content;
  switch (content.type) {
    case 'text':
      return [[textBlock(content.text)], []];
    case 'buttons':
      return [framed(content), [replyButtons(message, content.buttons)]];
    case 'list':
      return [
        framed(
          content,
          el(
            'button',
            { type: 'button', class: 'list-open', onclick: () => openSheet(message) },
            `☰ ${content.button}`,
          ),
        ),
        [],
      ];
    case 'cta_url':
      return [
        framed(content),
        [
          el(
            'div',
            { class: 'actions' },
            el('a', { href: content.url, target: '_blank', rel: 'noopener' }, `↗ ${content.displayText}`),
          ),
        ],
      ];
    case 'document':
      return [[fileCard(content.url, content.filename, content.caption)], []];
    case 'image':
      return [
        [
          el('img', { src: content.url, alt: content.caption || 'Image' }),
          content.caption ? textBlock(content.caption) : undefined,
        ],
        [],
      ];
    case 'template': {
      const media = content.media;
      const header = media
        ? /\.(png|jpe?g|gif|webp)$/i.test(media.url)
          ? el('img', { src: media.url, alt: media.filename || 'Image' })
          : fileCard(media.url, media.filename)
        : undefined;
      return [
        [header, textBlock(content.text)],
        content.buttons.length ? [replyButtons(message, content.buttons)] : [],
      ];
    }
    case 'button_reply':
    case 'list_reply':
      return [[quoteOf(message.contextId), el('div', { class: 'text' }, content.title)], []];
    case 'media':
      return [
        [
          el('a', { href: content.url, target: '_blank', rel: 'noopener' }, `📎 ${content.mimeType}`),
          content.caption ? textBlock(content.caption) : undefined,
        ],
        [],
      ];
    default:
      return [[el('div', { class: 'text' }, `[${content.type}]`)], []];
  }
}

function renderMessage(message) {
  const mine = message.from === 'user';
  const [inside, below] = renderContent(message);
  const time = new Date(message.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const [glyph, label] = TICKS[message.status] ?? TICKS.pending;
  const meta = el(
    'div',
    { class: 'meta' },
    el('time', { datetime: message.at }, time),
    mine
      ? el('span', { class: 'ticks', 'data-status': message.status, role: 'img', 'aria-label': label }, glyph)
      : undefined,
  );
  const failed =
    !mine && message.status === 'failed'
      ? el('div', { class: 'failed-note' }, `Not delivered: ${message.error?.title ?? 'failed'}`)
      : undefined;
  return el(
    'li',
    { class: mine ? 'user' : 'business', dataset: { wamid: message.wamid, status: message.status } },
    el('div', { class: 'bubble' }, ...inside, meta),
    ...below,
    failed,
  );
}

function render() {
  const snapshot = JSON.stringify(state.messages);
  if (snapshot === state.rendered) return;
  state.rendered = snapshot;
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...state.messages.map(renderMessage));
  if (atBottom || state.messages.at(-1)?.from === 'user') list.scrollTop = list.scrollHeight;
}

async function poll() {
  if (!state.phone) return;
  try {
    const response = await fetch(`${base}/api/messages?phone=${encodeURIComponent(state.phone)}`);
    if (response.ok) {
      const data = await response.json();
      state.messages = data.messages;
      render();
      reportRead();
    }
  } finally {
    clearTimeout(state.timer);
    state.timer = setTimeout(poll, POLL_MS);
  }
}

function reportRead() {
  const unread = state.messages.some(
    (m) => m.from === 'business' && m.status !== 'read' && m.status !== 'failed',
  );
  if (unread && document.visibilityState === 'visible') {
    void fetch(`${base}/api/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: state.phone }),
    });
  }
}

async function send(payload) {
  const response = await fetch(`${base}/api/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: state.phone, userName: state.name || undefined, ...payload }),
  });
  if (!response.ok) console.error('send failed', await response.text());
  await poll();
}

function openChat(phone, name) {
  state.phone = phone.replace(/[\s()-]/g, '').replace(/^\+/, '');
  state.name = name;
  state.messages = [];
  state.rendered = '';
  localStorage.setItem('sandbox-phone', JSON.stringify({ phone: state.phone, name }));
  const url = new URL(location.href);
  url.searchParams.set('phone', state.phone);
  if (name) url.searchParams.set('name', name);
  history.replaceState(null, '', url);
  $('me').textContent = `You: +${state.phone}${name ? ` · ${name}` : ''}`;
  $('setup').hidden = true;
  $('chat').hidden = false;
  $('messages').replaceChildren();
  $('message').focus();
  void poll();
}

async function loadKnownPhones() {
  const response = await fetch(`${base}/api/phones`);
  if (!response.ok) return;
  const { phones } = await response.json();
  $('known-phones').replaceChildren(
    ...phones.map((p) => el('option', { value: `+${p.phone}` }, p.userName ? `${p.userName}` : undefined)),
  );
}

$('setup').addEventListener('submit', (event) => {
  event.preventDefault();
  const phone = $('phone').value.replace(/[\s()-]/g, '');
  if (!NUMBER.test(phone)) {
    $('setup-error').textContent = 'Enter the number with its country code, e.g. +27 82 123 4567.';
    return;
  }
  $('setup-error').textContent = '';
  openChat(phone, $('name').value.trim());
});

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('message').value;
  if (!text.trim()) return;
  $('message').value = '';
  void send({ text });
});

$('back').addEventListener('click', () => {
  clearTimeout(state.timer);
  state.phone = '';
  $('chat').hidden = true;
  $('setup').hidden = false;
  void loadKnownPhones();
});

$('sheet-close').addEventListener('click', closeSheet);
$('sheet').addEventListener('click', (event) => {
  if (event.target === $('sheet')) closeSheet();
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !$('sheet').hidden) closeSheet();
});
document.addEventListener('visibilitychange', reportRead);

function tickClock() {
  $('clock').textContent = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
tickClock();
setInterval(tickClock, 30_000);

$('business-name').textContent = businessName;
$('avatar').textContent = businessName.slice(0, 1).toUpperCase();
const params = new URLSearchParams(location.search);
const saved = JSON.parse(localStorage.getItem('sandbox-phone') ?? 'null');
$('phone').value = params.get('phone') ? `+${params.get('phone')}` : saved ? `+${saved.phone}` : '';
$('name').value = params.get('name') ?? saved?.name ?? '';
if (params.get('phone') && NUMBER.test(params.get('phone'))) openChat(params.get('phone'), $('name').value);
else void loadKnownPhones();
