import { type HTMLElement, parse } from 'node-html-parser';
import { fingerprintPage } from './fingerprint-page.js';

/** The stored structure of each page on the read-only path (`npm run portal:canary -- --record` writes it). */
export interface PortalFingerprint {
  recordedFrom: string;
  pages: Record<string, string[]>;
}

export interface PageDrift {
  page: string;
  /** Lines the portal shows now that the stored fingerprint does not have, and the reverse. */
  added: string[];
  removed: string[];
}

export interface CanaryResult {
  pages: Record<string, string[]>;
  drift: PageDrift[];
}

export interface CanaryOptions {
  portalUrl: string;
  /** An enterprise the public search finds (its particulars never enter the fingerprint). */
  enterpriseNumber: string;
  signal?: AbortSignal;
}

/**
 * The read-only path a filing relies on, as a visitor without a login walks it: the public enterprise
 * search (form and a result) and the free annual-return calculator (form and a fee). Nothing is paid and
 * no customer code is used. Each page is fingerprinted; `compareFingerprints` says what moved.
 */
export async function runPortalCanary(options: CanaryOptions): Promise<Record<string, string[]>> {
  const base = options.portalUrl.replace(/\/$/, '');
  const cookies = new Map<string, string>();
  const request = async (path: string, body?: URLSearchParams): Promise<HTMLElement> => {
    const response = await fetch(`${base}/${path}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body,
      signal: options.signal,
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const at = pair.indexOf('=');
      if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    if (response.status >= 500) throw new Error(`${path} answered HTTP ${response.status}`);
    return parse(await response.text());
  };

  const pages: Record<string, string[]> = {};
  const searchForm = await request('Search.aspx');
  pages.searchForm = fingerprintPage(searchForm);
  const search = postback(searchForm, {
    [/\$drpSearchOptions$/.source]: 'EntNo',
    [/\$txtSearchCIPC$/.source]: options.enterpriseNumber,
  });
  pages.searchResult = fingerprintPage(await request('Search.aspx', search));

  const calculatorForm = await request('ArCalculator.aspx');
  pages.calculatorForm = fingerprintPage(calculatorForm);
  const calculate = postback(calculatorForm, {
    [/\$drpEntType$/.source]: 'Private Company',
    [/\$txtTurnover$/.source]: '500000',
  });
  pages.calculatorResult = fingerprintPage(await request('ArCalculator.aspx', calculate));
  return pages;
}

/**
 * The form's postback as a browser sends it: every hidden field, the fields whose name matches a pattern
 * (left out when none does: the fingerprint then shows why), and the first submit button, else the
 * first LinkButton (`__doPostBack` link) as __EVENTTARGET.
 */
function postback(page: HTMLElement, values: Record<string, string>): URLSearchParams {
  const body = new URLSearchParams();
  for (const hidden of page.querySelectorAll('input[type="hidden"]')) {
    const name = hidden.getAttribute('name');
    if (name) body.set(name, hidden.getAttribute('value') ?? '');
  }
  const names = page
    .querySelectorAll('input, select, textarea')
    .map((control) => control.getAttribute('name') ?? '');
  for (const [pattern, value] of Object.entries(values)) {
    const name = names.find((n) => new RegExp(pattern).test(n));
    if (name) body.set(name, value);
  }
  const submit = page.querySelector('input[type="submit"]');
  const submitName = submit?.getAttribute('name');
  const link = page
    .querySelectorAll('a[href]')
    .map((a) => /__doPostBack\('([^']+)'/.exec(a.getAttribute('href') ?? '')?.[1])
    .find((target) => target !== undefined);
  if (submit && submitName) body.set(submitName, submit.getAttribute('value') ?? '');
  else if (link) body.set('__EVENTTARGET', link);
  return body;
}

/** What differs, page by page, between the stored fingerprint and what the portal shows now. */
export function compareFingerprints(
  stored: Record<string, string[]>,
  current: Record<string, string[]>,
): PageDrift[] {
  const drift: PageDrift[] = [];
  for (const page of new Set([...Object.keys(stored), ...Object.keys(current)])) {
    const before = new Set(stored[page] ?? []);
    const now = new Set(current[page] ?? []);
    const added = [...now].filter((line) => !before.has(line));
    const removed = [...before].filter((line) => !now.has(line));
    if (added.length > 0 || removed.length > 0) drift.push({ page, added, removed });
  }
  return drift;
}

/** The report a person reads when the canary fails. */
export function describeDrift(portalUrl: string, drift: readonly PageDrift[]): string {
  if (drift.length === 0) return `CIPC portal canary: ${portalUrl} matches the stored fingerprint.`;
  const lines = [
    `CIPC portal canary: ${portalUrl} changed on ${drift.length} page(s). The page objects may no longer find`,
    'what they look for; check them (filing-worker/portal) before the next filing, then record again.',
  ];
  for (const { page, added, removed } of drift) {
    lines.push('', `${page}:`);
    for (const line of removed) lines.push(`  - ${line}`);
    for (const line of added) lines.push(`  + ${line}`);
  }
  return lines.join('\n');
}

/** The result as a node_exporter textfile, so an alert rule can fire on a change or a failed run. */
export function canaryMetrics(drift: readonly PageDrift[] | undefined, now: Date): string {
  return [
    '# HELP cipc_portal_canary_up 1 when the canary could walk the read-only path, 0 when it could not.',
    '# TYPE cipc_portal_canary_up gauge',
    `cipc_portal_canary_up ${drift ? 1 : 0}`,
    '# HELP cipc_portal_drift_pages Pages whose structure differs from the stored fingerprint.',
    '# TYPE cipc_portal_drift_pages gauge',
    `cipc_portal_drift_pages ${drift?.length ?? 0}`,
    '# HELP cipc_portal_canary_last_run_timestamp_seconds When the canary last ran.',
    '# TYPE cipc_portal_canary_last_run_timestamp_seconds gauge',
    `cipc_portal_canary_last_run_timestamp_seconds ${Math.floor(now.getTime() / 1000)}`,
    '',
  ].join('\n');
}
