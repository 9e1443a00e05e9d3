import type { SignedInAgent } from '../agent/auth/agent-auth.js';
import { assetUrl } from './console-assets.js';
import { html, type SafeHtml } from './html.js';

// htmx's defaults that would need 'unsafe-inline' or 'unsafe-eval' are off: the CSP allows neither.
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
});

function document(title: string, body: SafeHtml, options: { csrfToken?: string; bodyClass?: string } = {}) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="htmx-config" content="${HTMX_CONFIG}">
${options.csrfToken && html`<meta name="csrf-token" content="${options.csrfToken}">`}
<title>${title} · CIPC Agent console</title>
<link rel="stylesheet" href="${assetUrl('console.css')}">
<script src="${assetUrl('htmx.min.js')}" defer></script>
<script src="${assetUrl('sse.js')}" defer></script>
<script src="${assetUrl('console.js')}" defer></script>
</head>
<body class="${options.bodyClass ?? ''}">
<div id="flash" role="alert" hidden></div>
${body}
</body>
</html>`.value;
}

/** The sign-in form; it posts to the JSON login route and reloads into the console. */
export function loginPage(): string {
  return document(
    'Log in',
    html`<main class="login" hx-ext="json-api">
  <h1>CIPC Agent</h1>
  <p class="muted">Support console. Log in with the account an admin created for you.</p>
  <form hx-post="/api/v1/agent/login" hx-swap="none" data-login data-reload>
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" required autofocus>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Log in</button>
  </form>
</main>`,
    { bodyClass: 'login-page' },
  );
}

export type ConsoleSection = 'queue' | 'audit';

/** The signed-in frame: top bar, and `main` holding the live-update stream every fragment listens to. */
export function consolePage(
  agent: SignedInAgent,
  csrfToken: string,
  section: ConsoleSection,
  title: string,
  main: SafeHtml[],
): string {
  const current = (s: ConsoleSection) => (s === section ? 'page' : 'false');
  return document(
    title,
    html`<header class="topbar">
  <div class="brand">CIPC Agent <span>Console</span></div>
  <nav aria-label="Console">
    <a href="/agent" aria-current="${current('queue')}">Queue</a>
    ${agent.role === 'admin' && html`<a href="/agent/audit" aria-current="${current('audit')}">Audit</a>`}
  </nav>
  <div class="who" hx-ext="json-api">
    <span>${agent.name} · ${agent.role}</span>
    <button type="button" class="secondary" hx-post="/api/v1/agent/logout" hx-swap="none" data-reload>Log out</button>
  </div>
</header>
<main class="console" hx-ext="sse" sse-connect="/api/v1/agent/events">${main}</main>`,
    { csrfToken },
  );
}

/** What a page shows instead of its content when the API refused it (not an admin, no such conversation). */
export function noticePane(message: string): SafeHtml {
  return html`<section class="notice" role="status"><p>${message}</p><p><a href="/agent">Back to the queue</a></p></section>`;
}
