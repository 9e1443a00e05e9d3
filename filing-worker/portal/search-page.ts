import type { EnterpriseType } from '../../flows/cipc/enterprise-type.js';
import type { CompanyFacts } from '../../flows/conversation/conversation-event.js';
import { PortalRejected, PortalServerError, PortalUnavailable } from './portal-errors.js';

/**
 * The public enterprise search (Search.aspx), over plain HTTP: one GET for the form's hidden fields and
 * session cookie, one postback. No login and no browser, so a lookup answers in well under a second and
 * never waits behind filings for a browser slot.
 */
export async function searchEnterprise(
  portalUrl: string,
  registrationNumber: string,
  options: { schedule: <T>(task: () => Promise<T>) => Promise<T>; signal?: AbortSignal },
): Promise<CompanyFacts | undefined> {
  const url = `${portalUrl.replace(/\/$/, '')}/Search.aspx`;
  const form = await options.schedule(() => fetch(url, { signal: options.signal }));
  const formHtml = await checked(form);
  const cookie = form.headers.get('set-cookie')?.split(';')[0] ?? '';
  const body = new URLSearchParams({
    __EVENTTARGET: '',
    __EVENTARGUMENT: '',
    __VIEWSTATE: hiddenField(formHtml, '__VIEWSTATE'),
    __EVENTVALIDATION: hiddenField(formHtml, '__EVENTVALIDATION'),
    ctl00$cntMain$txtEnterpriseNumber: registrationNumber,
    ctl00$cntMain$btnSearch: 'Search',
  });
  const answer = await options.schedule(() =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body,
      signal: options.signal,
    }),
  );
  const html = await checked(answer);
  const details = rowsOf(html, 'Enterprise details');
  if (!details) {
    const error = /id="cntMain_lblError"[^>]*>([^<]*)</.exec(html)?.[1];
    if (error && /no enterprise found/i.test(error)) return undefined;
    throw new PortalRejected(decode(error ?? 'the search page showed neither results nor a message'));
  }
  const detail = (label: string) => details.find((cells) => cells[0] === label)?.[1] ?? '';
  const history = rowsOf(html, 'Annual return history') ?? [];
  const boYear = Number.parseInt(detail('Beneficial Ownership Declaration Year'), 10);
  return {
    registrationNumber: detail('Enterprise Number') || registrationNumber,
    name: detail('Enterprise Name'),
    enterpriseType: TYPES[detail('Enterprise Type').toLowerCase()] ?? 'private-company',
    status: detail('Enterprise Status').toLowerCase() as CompanyFacts['status'],
    incorporationDate: detail('Registration Date'),
    filedYears: history
      .filter((cells) => cells[2] === 'Filed')
      .map((cells) => Number(cells[0]))
      .filter(Number.isInteger)
      .sort((a, b) => a - b),
    ...(Number.isInteger(boYear) && { boYear }),
  };
}

const TYPES: Record<string, EnterpriseType> = {
  'public company': 'public-company',
  'private company': 'private-company',
  'non-profit company': 'npc',
  'external company': 'external-company',
  'personal liability company': 'personal-liability',
  'close corporation': 'close-corporation',
  'state owned company': 'state-owned',
};

async function checked(response: Response): Promise<string> {
  const html = await response.text();
  if (response.status === 503 || /<title>[^<]*maintenance/i.test(html)) {
    throw new PortalUnavailable('portal under maintenance');
  }
  if (response.status >= 500) throw new PortalServerError(`portal answered HTTP ${response.status}`);
  return html;
}

function hiddenField(html: string, name: string): string {
  return decode(new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '');
}

/** The cell texts of each row of the table with this accessible name. */
function rowsOf(html: string, label: string): string[][] | undefined {
  const table = new RegExp(`<table[^>]*aria-label="${label}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (table === undefined) return undefined;
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      decode((cell[1] ?? '').replace(/<[^>]+>/g, '').trim()),
    ),
  );
}

function decode(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"');
}
