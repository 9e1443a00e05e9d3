import type { Page } from 'playwright';

/**
 * Each screen the automation knows, by stable markers (control ids and names, all of which must be on
 * the page). A page that matches none of the screens a step expects is not guessed at: the step stops.
 */
export const PORTAL_SCREENS = {
  login: ['#cntMain_txtCustomerCode', '#cntMain_txtPassword', '#cntMain_txtCaptcha'],
  home: ['#cntMain_lblCustomerCode', 'a[href$="AnnualReturns.aspx"]'],
  enterpriseNumber: ['#cntMain_txtEnterpriseNumber', '#cntMain_btnValidate'],
  turnover: ['#cntMain_gvReturns', '#cntMain_btnCalculate'],
  /** The enterprise and the portal's refusal (the beneficial-ownership hard stop). */
  refused: ['#cntMain_tblEnterprise', '#cntMain_lblError'],
  fas: ['#cntMain_txtRecordsKeeperName', '#cntMain_txtPreparerId', '#cntMain_rblAssurance'],
  payFromBalance: ['#cntMain_lblTotal', '#cntMain_btnPay'],
  confirmation: ['#cntMain_lblConfirmation'],
  reprint: ['#cntMain_txtEnterpriseNumber', '#cntMain_btnSearch'],
} as const satisfies Record<string, readonly string[]>;

export type PortalScreen = keyof typeof PORTAL_SCREENS;

/** The first of `expected` the page shows, or undefined. */
export async function recogniseScreen(
  page: Page,
  expected: readonly PortalScreen[],
): Promise<PortalScreen | undefined> {
  for (const screen of expected) {
    const counts = await Promise.all(PORTAL_SCREENS[screen].map((marker) => page.locator(marker).count()));
    if (counts.every((count) => count > 0)) return screen;
  }
  return undefined;
}

const KNOWN_INTERRUPTIONS: readonly [RegExp, string][] = [
  [/3-?D\s*Secure|one[- ]time pin|\bOTP\b|card number|payment gateway/i, 'a card payment page (3-D Secure)'],
  [/verif(y|ication)|home affairs/i, 'a customer verification page'],
  [/(change|reset|new|expired)\s+(your\s+)?password|password\s+(has\s+)?expired/i, 'a password reset demand'],
  [
    /iXBRL|upload.*financial statements|financial statements.*upload/i,
    'an iXBRL financial statements upload',
  ],
];

/** In plain words, what an unrecognised page looks like (title and headings), for the person who looks. */
export async function describeScreen(page: Page): Promise<string> {
  const title = (await page.title().catch(() => '')).trim();
  const headings = await page
    .locator('h1, h2')
    .allTextContents()
    .catch(() => [] as string[]);
  const text = [title, ...headings].join(' ');
  const body = await page
    .locator('body')
    .innerText()
    .catch(() => '');
  const kind =
    KNOWN_INTERRUPTIONS.find(([pattern]) => pattern.test(text))?.[1] ??
    KNOWN_INTERRUPTIONS.find(([pattern]) => pattern.test(body))?.[1] ??
    'a page it does not recognise (the portal may have changed)';
  return `${kind}, titled "${title || 'untitled'}"`;
}
