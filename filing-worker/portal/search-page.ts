import type { Locator, Page } from 'playwright';
import type { EnterpriseType } from '../../flows/cipc/enterprise-type.js';
import { COMPANY_STATUSES, type CompanyFacts } from '../../flows/conversation/conversation-event.js';
import { checkPage } from './check-page.js';
import { PortalRejected } from './portal-errors.js';

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

/**
 * The public enterprise search (Search.aspx), read as a browser reads it: no login, the number typed
 * into its form, the particulars and annual-return history read from the tables by their accessible
 * names. A type or status we do not know is never guessed (a guessed type would price the wrong fee
 * table): it comes back as `needsPerson`.
 */
export async function searchEnterprise(
  page: Page,
  portalUrl: string,
  registrationNumber: string,
): Promise<SearchOutcome> {
  await page.goto(`${portalUrl.replace(/\/$/, '')}/Search.aspx`);
  await checkPage(page, 'search');
  await page.getByLabel('Enterprise number').fill(registrationNumber);
  await page.getByRole('button', { name: 'Search' }).click();
  await checkPage(page, 'search');
  const details = page.getByRole('table', { name: 'Enterprise details' });
  if ((await details.count()) === 0) {
    const alert = page.getByRole('alert');
    const message = (await alert.count()) > 0 ? (await alert.first().innerText()).trim() : '';
    if (/no enterprise found/i.test(message)) return { kind: 'notFound' };
    throw new PortalRejected(message || 'the search page showed neither results nor a message');
  }
  const particulars = await rowsByHeader(details);
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
      filedYears: await filedYears(page.getByRole('table', { name: 'Annual return history' })),
      ...(Number.isInteger(boYear) && { boYear }),
    },
  };
}

/** A two-column table of particulars: each row's header cell → its value. */
async function rowsByHeader(table: Locator): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for (const row of await table.getByRole('row').all()) {
    const [header] = await row.getByRole('rowheader').allInnerTexts();
    const [value] = await row.getByRole('cell').allInnerTexts();
    if (header !== undefined) rows.set(header.trim(), (value ?? '').trim());
  }
  return rows;
}

/** Years whose row says Filed (columns: year, date filed, status); a table absent or empty: none. */
async function filedYears(history: Locator): Promise<number[]> {
  const years: number[] = [];
  for (const row of await history.getByRole('row').all()) {
    const [year, , status] = (await row.getByRole('cell').allInnerTexts()).map((cell) => cell.trim());
    if (status === 'Filed' && Number.isInteger(Number(year))) years.push(Number(year));
  }
  return years.sort((a, b) => a - b);
}
