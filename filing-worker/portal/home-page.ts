import type { Page } from 'playwright';
import { checkPage } from './check-page.js';

/** Home.aspx → Transact → File Annual Returns. */
export async function openFileAnnualReturns(page: Page, portalUrl: string): Promise<void> {
  if (!/Home\.aspx/i.test(page.url())) {
    await page.goto(`${portalUrl.replace(/\/$/, '')}/Home.aspx`);
    await checkPage(page, 'home');
  }
  await page.getByRole('link', { name: 'File Annual Returns' }).first().click();
  await checkPage(page, 'file annual returns');
}
