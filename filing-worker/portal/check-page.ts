import type { Page } from 'playwright';
import { PortalServerError, PortalUnavailable, SessionExpired, UnknownScreen } from './portal-errors.js';
import { describeScreen, type PortalScreen, recogniseScreen } from './portal-screens.js';

/**
 * Every screen calls this after a navigation or postback: the maintenance notice, ASP.NET's error page
 * and a bounce to the login page look the same whichever step caused them. Then the page must be one of
 * the `expected` screens; anything else stops the step with `UnknownScreen` (answers which one it is).
 */
export async function checkPage(
  page: Page,
  step: string,
  expected: readonly PortalScreen[] = [],
): Promise<PortalScreen | undefined> {
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
  if (expected.length === 0) return undefined;
  const screen = await recogniseScreen(page, expected);
  if (!screen) throw new UnknownScreen(step, await describeScreen(page));
  return screen;
}
