import type { Page } from 'playwright';
import { checkPage } from './check-page.js';

/** Home.aspx → Transact → File Annual Returns (loaded afresh: the last page may have been an error). */
export async function openFileAnnualReturns(page: Page, portalUrl: string): Promise<void> {
  await page.goto(`${portalUrl.replace(/\/$/, '')}/Home.aspx`);
  await checkPage(page, 'home');
  await page.getByRole('link', { name: 'File Annual Returns' }).first().click();
  await checkPage(page, 'file annual returns');
}
