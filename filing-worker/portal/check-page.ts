import type { Page } from 'playwright';
import { PortalServerError, PortalUnavailable, SessionExpired } from './portal-errors.js';

/**
 * Every screen calls this after a navigation or postback: the maintenance notice, ASP.NET's error page
 * and a bounce to the login page look the same whichever step caused them.
 */
export async function checkPage(page: Page, step: string): Promise<void> {
  await page.waitForLoadState('domcontentloaded');
  const title = await page.title();
  if (/maintenance/i.test(title) || (await page.locator('#maintenance').count()) > 0) {
    throw new PortalUnavailable(`portal under maintenance during ${step}`);
  }
  if (/runtime error|server error|invalid postback/i.test(title)) {
    throw new PortalServerError(`portal error page during ${step}: ${title}`);
  }
  const url = new URL(page.url());
  if (/\/Login\.aspx$/i.test(url.pathname) && step !== 'login') {
    throw new SessionExpired(`the portal session ended during ${step}`);
  }
}
