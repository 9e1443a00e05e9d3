import type { HTMLElement } from 'node-html-parser';

/** The ASP.NET master page's per-request tokens: their values change every time, their presence never. */
const VOLATILE = /^(__VIEWSTATE|__EVENTVALIDATION|__EVENTTARGET|__EVENTARGUMENT|__VIEWSTATEGENERATOR)$/;

/**
 * A page's structure as the automation relies on it, one sorted line per element: every form control
 * (tag, type, id, name), every button and link that posts back (id and its text), every table (id and
 * accessible name), every label with a server id and every heading's text. Values, rows and prose are left out, so a different
 * enterprise or fee gives the same fingerprint and a renamed field a different one.
 */
export function fingerprintPage(page: HTMLElement): string[] {
  const lines = new Set<string>();
  const attr = (element: HTMLElement, name: string) => element.getAttribute(name) ?? '';
  for (const control of page.querySelectorAll('input, select, textarea')) {
    const type = attr(control, 'type') || control.tagName.toLowerCase();
    if (VOLATILE.test(attr(control, 'name'))) continue;
    const text = type === 'submit' || type === 'button' ? ` "${attr(control, 'value')}"` : '';
    lines.add(
      `${control.tagName.toLowerCase()}[${type}] id=${attr(control, 'id')} name=${attr(control, 'name')}${text}`,
    );
  }
  for (const link of page.querySelectorAll('a[id], button')) {
    lines.add(`${link.tagName.toLowerCase()} id=${attr(link, 'id')} "${link.textContent.trim()}"`);
  }
  for (const table of page.querySelectorAll('table')) {
    lines.add(`table id=${attr(table, 'id')} label="${attr(table, 'aria-label')}"`);
  }
  for (const heading of page.querySelectorAll('h1, h2, h3')) {
    lines.add(`${heading.tagName.toLowerCase()} "${heading.textContent.trim().replace(/\s+/g, ' ')}"`);
  }
  // Labels the automation reads (a fee, a total, an error) are spans with server ids.
  for (const label of page.querySelectorAll('span[id]')) lines.add(`span id=${attr(label, 'id')}`);
  for (const marked of page.querySelectorAll('[role]')) {
    lines.add(`role=${attr(marked, 'role')} id=${attr(marked, 'id')}`);
  }
  return [...lines].sort();
}
