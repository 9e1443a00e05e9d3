import { type HTMLElement, parse } from 'node-html-parser';
import type { EnterpriseType } from '../../flows/cipc/enterprise-type.js';
import { COMPANY_STATUSES, type CompanyFacts } from '../../flows/conversation/conversation-event.js';
import { PortalRejected, PortalServerError, PortalUnavailable } from './portal-errors.js';

export type SearchOutcome =
  | { kind: 'found'; company: CompanyFacts }
  | { kind: 'notFound' }
  /** The register answered with something we do not know how to file for: a person must look. */
  | { kind: 'needsPerson'; reason: string };

/** The portal's wording of each enterprise type we file for. Anything else is for a person. */
const TYPES: Readonly<Record<string, EnterpriseType>> = {
  'public company': 'public-company',
  'private company': 'private-company',
  'non-profit company': 'npc',
  'external company': 'external-company',
  'personal liability company': 'personal-liability',
  'close corporation': 'close-corporation',
  'state owned company': 'state-owned',
};

export interface SearchOptions {
  /** Every request to the portal passes through this (the portal-wide rate limit). */
  schedule: <T>(task: () => Promise<T>) => Promise<T>;
  signal?: AbortSignal;
}

/**
 * The public enterprise search (Search.aspx), over plain HTTP as a browser would post it: one GET for the
 * form, then its postback with every hidden field and every cookie the portal set, the number typed into
 * the field labelled "Enterprise number". The answer is read with an HTML parser: the particulars and
 * annual-return history from the tables by their accessible names, a message from the alert. No browser:
 * a lookup costs two requests, so a hundred filings checking the register at once do not queue behind
 * page loads (a browser per lookup made them time out). A type or status we do not know is never
 * guessed (a guessed type would price the wrong fee table): it comes back as `needsPerson`.
 */
export async function searchEnterprise(
  portalUrl: string,
  registrationNumber: string,
  options: SearchOptions,
): Promise<SearchOutcome> {
  const url = `${portalUrl.replace(/\/$/, '')}/Search.aspx`;
  const cookies = new Map<string, string>();
  const request = async (init: RequestInit = {}) => {
    const response = await options.schedule(() =>
      fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(cookies) },
        signal: options.signal,
      }),
    );
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const at = pair.indexOf('=');
      if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return checked(response);
  };

  const form = await request();
  const body = new URLSearchParams();
  for (const hidden of form.querySelectorAll('input[type="hidden"]')) {
    const name = hidden.getAttribute('name');
    if (name) body.set(name, hidden.getAttribute('value') ?? '');
  }
  fillSearch(form, body, registrationNumber);
  const page = await request({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

  const details = tableNamed(page, 'Enterprise details');
  if (!details) {
    const message = page.querySelector('[role="alert"]')?.textContent.trim() ?? '';
    if (/no enterprise found/i.test(message)) return { kind: 'notFound' };
    throw new PortalRejected(message || 'the search page showed neither results nor a message');
  }
  const particulars = rowsByHeader(details);
  const particular = (label: string) => particulars.get(label) ?? '';
  const shownType = particular('Enterprise Type');
  const enterpriseType = TYPES[shownType.toLowerCase()];
  if (!enterpriseType) {
    return {
      kind: 'needsPerson',
      reason: `CIPC shows an enterprise type we do not file for: "${shownType}"`,
    };
  }
  const shownStatus = particular('Enterprise Status');
  const status = COMPANY_STATUSES.find((known) => known === shownStatus.toLowerCase());
  if (!status) {
    return { kind: 'needsPerson', reason: `CIPC shows a status we do not know: "${shownStatus}"` };
  }
  const boYear = Number.parseInt(particular('Beneficial Ownership Declaration Year'), 10);
  return {
    kind: 'found',
    company: {
      registrationNumber: particular('Enterprise Number') || registrationNumber,
      name: particular('Enterprise Name'),
      enterpriseType,
      status,
      incorporationDate: particular('Registration Date'),
      filedYears: filedYears(tableNamed(page, 'Annual return history')),
      ...(Number.isInteger(boYear) && { boYear }),
    },
  };
}

async function checked(response: Response): Promise<HTMLElement> {
  const page = parse(await response.text());
  const title = page.querySelector('title')?.textContent ?? '';
  if (response.status === 503 || /maintenance/i.test(title) || page.querySelector('#maintenance')) {
    throw new PortalUnavailable('portal under maintenance during search');
  }
  if (response.status >= 500 || /runtime error|server error|invalid postback/i.test(title)) {
    throw new PortalServerError(`portal error page during search: HTTP ${response.status} ${title}`);
  }
  return page;
}

const cookieHeader = (cookies: Map<string, string>) =>
  [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/**
 * The real eServices search, as public scripts that drive eservices.cipc.co.za post it: a search-type
 * drop-down `ctl00$cntMain$drpSearchOptions` ("EntNo" for an enterprise number), the query in
 * `ctl00$cntMain$txtSearchCIPC`, and the magnifier link `ctl00_cntMain_lnkSearchIcon`, a LinkButton that
 * posts back through `__EVENTTARGET` (name searches answer in the grid `ctl00_cntMain_gdvNames`).
 * Sources (public code index, 2026): a Selenium driver of the eServices search (CIPC_ESERVICES_SEARCH_URL,
 * drpSearchOptions → "Enterprise No.", txtSearchCIPC, lnkSearchIcon, gdvNames) and Puppeteer scripts
 * (`page.select("select[name='ctl00$cntMain$drpSearchOptions']", …)`, `#ctl00_cntMain_lnkSearchIcon`);
 * their repository paths are listed in the README's "real portal" section. Without those controls (our
 * simulator, an older page) the field labelled "Enterprise number" and its Search button are used.
 */
function fillSearch(form: HTMLElement, body: URLSearchParams, registrationNumber: string): void {
  const query = form.querySelector('input[name$="$txtSearchCIPC"]')?.getAttribute('name');
  if (query) {
    body.set(query, registrationNumber);
    const options = form.querySelector('select[name$="$drpSearchOptions"]')?.getAttribute('name');
    if (options) body.set(options, 'EntNo');
    const link = form.querySelector('a[id$="lnkSearchIcon"]');
    const target = /__doPostBack\('([^']+)'/.exec(link?.getAttribute('href') ?? '')?.[1];
    const submit = form.querySelector('input[type="submit"][name$="$btnSearch"]')?.getAttribute('name');
    if (target) body.set('__EVENTTARGET', target);
    else if (submit) body.set(submit, 'Search');
    else throw new PortalRejected('the search page has no search link or button');
    return;
  }
  body.set(fieldNamed(form, 'Enterprise number'), registrationNumber);
  const search = form
    .querySelectorAll('input[type="submit"]')
    .find((button) => button.getAttribute('value') === 'Search');
  const searchName = search?.getAttribute('name');
  if (!searchName) throw new PortalRejected('the search page has no Search button');
  body.set(searchName, 'Search');
}

/** The `name` of the input a `<label for>` with this text points at, as a browser finds a field by label. */
function fieldNamed(page: HTMLElement, label: string): string {
  const target = page
    .querySelectorAll('label')
    .find((element) => element.textContent.trim() === label)
    ?.getAttribute('for');
  const name = target && page.querySelector(`#${target}`)?.getAttribute('name');
  if (!name) throw new PortalRejected(`the search page has no field labelled "${label}"`);
  return name;
}

function tableNamed(page: HTMLElement, name: string): HTMLElement | undefined {
  return page.querySelectorAll('table').find((table) => table.getAttribute('aria-label') === name);
}

/** A two-column table of particulars: each row's header cell → its value. */
function rowsByHeader(table: HTMLElement): Map<string, string> {
  const rows = new Map<string, string>();
  for (const row of table.querySelectorAll('tr')) {
    const header = row.querySelector('th')?.textContent.trim();
    if (header !== undefined) rows.set(header, row.querySelector('td')?.textContent.trim() ?? '');
  }
  return rows;
}

/** Years whose row says Filed (columns: year, date filed, status); a table absent or empty: none. */
function filedYears(history: HTMLElement | undefined): number[] {
  const years: number[] = [];
  for (const row of history?.querySelectorAll('tr') ?? []) {
    const [year, , status] = row.querySelectorAll('td').map((cell) => cell.textContent.trim());
    if (status === 'Filed' && Number.isInteger(Number(year))) years.push(Number(year));
  }
  return years.sort((a, b) => a - b);
}
