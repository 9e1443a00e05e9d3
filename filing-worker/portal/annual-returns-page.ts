import type { Page } from 'playwright';
import { checkPage } from './check-page.js';
import { PortalRejected } from './portal-errors.js';

export type ValidateOutcome =
  | { kind: 'outstanding'; years: number[] }
  | {
      kind: 'refused';
      reason: 'deregistered' | 'notFound' | 'nothingOutstanding' | 'other';
      message: string;
    };

export interface FeeLine {
  year: number;
  feeCents: number;
  late: boolean;
}

export interface FasEntry {
  recordsKeeperName: string;
  recordsKeeperId: string;
  preparerName: string;
  preparerId: string;
  assurance: 'Audited' | 'Independently reviewed' | 'Neither';
}

export type PayOutcome =
  | { kind: 'paid' }
  | { kind: 'insufficientBalance'; message: string }
  | { kind: 'alreadyFiled'; message: string };

async function alertText(page: Page): Promise<string | undefined> {
  const alert = page.getByRole('alert');
  return (await alert.count()) > 0 ? ((await alert.first().textContent()) ?? '').trim() : undefined;
}

export function parseRand(text: string): number {
  const cleaned = text
    .replace(/\(late\)/i, '')
    .replace(/^\s*R/i, '')
    .replace(/[\s,]/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(cleaned)) throw new PortalRejected(`not an amount: ${text}`);
  return Math.round(Number(cleaned) * 100);
}

/** AnnualReturns.aspx step 1: enterprise number → Validate → the outstanding years, or the refusal. */
export async function validateEnterprise(page: Page, registrationNumber: string): Promise<ValidateOutcome> {
  await page.getByLabel('Enterprise number').fill(registrationNumber);
  await page.getByRole('button', { name: 'Validate' }).click();
  await checkPage(page, 'validate', ['turnover', 'enterpriseNumber']);
  const table = page.getByRole('table', { name: 'Outstanding annual returns' });
  if ((await table.count()) === 0) {
    const message = (await alertText(page)) ?? 'the portal refused the enterprise number without a message';
    const reason = /does not allow/i.test(message)
      ? 'deregistered'
      : /not found/i.test(message)
        ? 'notFound'
        : /no outstanding/i.test(message)
          ? 'nothingOutstanding'
          : 'other';
    return { kind: 'refused', reason, message };
  }
  const firstCells = await table.locator('tr').locator('td:first-child').allTextContents();
  return { kind: 'outstanding', years: firstCells.map((text) => Number(text.trim())) };
}

/** Step 2: a turnover per outstanding year → Calculate → the portal's fee per year. */
export async function calculateFees(
  page: Page,
  turnoverCents: ReadonlyMap<number, number>,
): Promise<FeeLine[]> {
  for (const [year, cents] of turnoverCents) {
    await page.getByLabel(`Turnover for ${year} (R)`).fill(String(Math.round(cents / 100)));
  }
  await page.getByRole('button', { name: 'Calculate' }).click();
  await checkPage(page, 'calculate', ['turnover']);
  const error = await alertText(page);
  if (error) throw new PortalRejected(error);
  const rows = page.getByRole('table', { name: 'Outstanding annual returns' }).locator('tr:has(td)');
  const lines: FeeLine[] = [];
  for (const cells of await Promise.all(
    (await rows.all()).map((row) => row.locator('td').allTextContents()),
  )) {
    const fee = cells.at(-1) ?? '';
    lines.push({ year: Number(cells[0]), feeCents: parseRand(fee), late: /late/i.test(fee) });
  }
  return lines;
}

/** Continue after the fees: the portal's beneficial-ownership hard stop comes here. */
export async function continueAfterFees(page: Page): Promise<{ blocked?: string }> {
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'beneficial ownership check', ['fas', 'refused']);
  const error = await alertText(page);
  return error ? { blocked: error } : {};
}

/** Step 3: the Financial Accountability Supplement. */
export async function enterFas(page: Page, fas: FasEntry): Promise<void> {
  await page.getByLabel('Name of the person who keeps the accounting records').fill(fas.recordsKeeperName);
  await page
    .getByLabel('ID or registration number of the person who keeps the accounting records')
    .fill(fas.recordsKeeperId);
  await page.getByLabel('Name of the person who prepared the financial statements').fill(fas.preparerName);
  await page.getByLabel(/practice number of the person who prepared/).fill(fas.preparerId);
  await page.getByLabel(fas.assurance, { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  // The screen before paying must be the prepaid-balance payment: a card gateway or an upload stops here.
  await checkPage(page, 'financial accountability supplement', ['payFromBalance', 'fas']);
  const error = await alertText(page);
  if (error) throw new PortalRejected(error);
}

/** The total the payment step asks for. */
export async function totalPayable(page: Page): Promise<number> {
  return parseRand((await page.locator('#cntMain_lblTotal').textContent()) ?? '');
}

/** Step 4: pay from the customer code's prepaid balance → ArConfirmation.aspx. */
export async function payFromBalance(page: Page): Promise<PayOutcome> {
  await page.getByRole('button', { name: 'Pay from prepaid balance' }).click();
  await checkPage(page, 'pay', ['confirmation', 'payFromBalance', 'enterpriseNumber']);
  if (/ArConfirmation\.aspx/i.test(page.url())) return { kind: 'paid' };
  const message = (await alertText(page)) ?? 'payment refused without a message';
  if (/insufficient funds/i.test(message)) return { kind: 'insufficientBalance', message };
  if (/already been filed/i.test(message)) return { kind: 'alreadyFiled', message };
  throw new PortalRejected(message);
}
