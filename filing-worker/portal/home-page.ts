import type { Page } from 'playwright';
import { parseRand } from './annual-returns-page.js';
import { checkPage } from './check-page.js';

/**
 * Home.aspx → Transact → File Annual Returns (loaded afresh: the last page may have been an error).
 * Answers the prepaid balance the home page showed on the way (for the metric and its alert), or
 * undefined when it was not there to read: a balance label never stops a filing.
 */
export async function openFileAnnualReturns(
  page: Page,
  portalUrl: string,
): Promise<{ balanceCents: number | undefined }> {
  await page.goto(`${portalUrl.replace(/\/$/, '')}/Home.aspx`);
  await checkPage(page, 'home', ['home']);
  const balanceCents = await readPrepaidBalance(page);
  await page.getByRole('link', { name: 'File Annual Returns' }).first().click();
  await checkPage(page, 'file annual returns', ['enterpriseNumber']);
  return { balanceCents };
}

async function readPrepaidBalance(page: Page): Promise<number | undefined> {
  const label = page.locator('#cntMain_lblBalance');
  if ((await label.count()) === 0) return undefined;
  try {
    return parseRand((await label.first().textContent()) ?? '');
  } catch {
    return undefined;
  }
}
