// The support console's only script; htmx does everything else. It lives in a file (not inline) so the
// Content-Security-Policy needs no 'unsafe-inline' or 'unsafe-eval'.
(() => {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content;

  // Forms post to the JSON API (/api/v1/agent/...), which reads JSON: this encodes a form as a JSON object.
  // A field named `params[]` becomes an array; a field marked data-number is sent as a number.
  htmx.defineExtension('json-api', {
    onEvent(name, event) {
      if (name === 'htmx:configRequest') event.detail.headers['Content-Type'] = 'application/json';
    },
    encodeParameters(xhr, parameters) {
      xhr.overrideMimeType('text/json');
      const body = {};
      for (const [key, value] of parameters.entries()) {
        if (key.endsWith('[]')) {
          const name = key.slice(0, -2);
          body[name] = [...(body[name] ?? []), value];
        } else if (value !== '') body[key] = value;
      }
      return JSON.stringify(body);
    },
  });

  document.addEventListener('htmx:configRequest', (event) => {
    if (event.detail.verb !== 'get') event.detail.headers['x-csrf-token'] = csrfToken() ?? '';
  });

  const flash = (text, kind = 'error') => {
    const region = document.getElementById('flash');
    if (!region) return;
    region.textContent = text;
    region.dataset.kind = kind;
    region.hidden = !text;
    clearTimeout(flash.timer);
    // A confirmation goes away by itself; a problem stays until the next action.
    if (text && kind === 'done') flash.timer = setTimeout(() => flash(''), 4000);
  };

  function problemOf(xhr) {
    try {
      const answer = JSON.parse(xhr.responseText);
      if (answer.error === 'already_taken' && answer.agent?.name) {
        return `${answer.agent.name} has this conversation already.`;
      }
      return answer.message || answer.error || `The service answered ${xhr.status}.`;
    } catch {
      return `The service answered ${xhr.status}.`;
    }
  }

  document.addEventListener('htmx:afterRequest', (event) => {
    const { elt, xhr, successful } = event.detail;
    if (xhr.status === 401 && !elt.closest('[data-login]')) {
      window.location.reload();
      return;
    }
    if (!elt.closest('[hx-ext~="json-api"]')) return;
    if (!successful) {
      flash(xhr.status ? problemOf(xhr) : 'The service could not be reached; try again.');
      return;
    }
    if (elt.closest('[data-reload]')) {
      window.location.assign(window.location.pathname.startsWith('/agent') ? window.location.href : '/agent');
      return;
    }
    flash(elt.closest('[data-done]')?.dataset.done ?? '', 'done');
    if (elt.tagName === 'FORM') elt.reset();
    htmx.trigger(document.body, 'console:changed');
  });

  // A canned response is a starting point: it fills the reply box, where the agent can still edit it.
  document.addEventListener('change', (event) => {
    const picker = event.target.closest('select[data-canned]');
    if (!picker?.value) return;
    const reply = document.getElementById('reply');
    if (reply) {
      reply.value = picker.value;
      reply.focus();
    }
    picker.value = '';
  });

  const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  function duration(ms) {
    const minutes = Math.max(0, Math.floor(ms / 60_000));
    if (minutes < 60) return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? `${hours} h ${minutes % 60} min` : plural(Math.floor(hours / 24), 'day');
  }

  // Wait times and the 24-hour window keep moving between refreshes.
  function tick() {
    const now = Date.now();
    for (const el of document.querySelectorAll('[data-since]')) {
      el.textContent = duration(now - Date.parse(el.dataset.since));
    }
    for (const el of document.querySelectorAll('[data-until]')) {
      const left = Date.parse(el.dataset.until) - now;
      el.textContent = left > 0 ? `${duration(left)} left` : 'closed';
      el.closest('.window')?.classList.toggle('closed', left <= 0);
    }
  }

  function settle() {
    tick();
    for (const transcript of document.querySelectorAll('.transcript')) {
      transcript.scrollTop = transcript.scrollHeight;
    }
    const open = document.getElementById('conversation')?.dataset.id;
    for (const item of document.querySelectorAll('[data-conversation-id]')) {
      if (item.dataset.conversationId === open) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    }
  }

  document.addEventListener('htmx:afterSettle', settle);
  document.addEventListener('DOMContentLoaded', settle);
  setInterval(tick, 15_000);
})();
