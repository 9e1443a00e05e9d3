import type { Cookie, Page } from 'playwright';
import { checkPage } from './check-page.js';
import { PortalRejected } from './portal-errors.js';

export interface CaptchaReading {
  text: string;
  /** The portal refused it: tell the solver (2Captcha refunds and learns). */
  wrong(): Promise<void>;
  right(): Promise<void>;
}

/**
 * The login screen exactly as the portal served it: its form (with the postback tokens), the security
 * code image and the portal session's cookies. A security code belongs to that session, so a person's
 * reading of it can only be typed into this screen; keeping the screen lets any worker, in a new browser
 * context, show it again and log in with that reading.
 */
export interface LoginScreen {
  url: string;
  html: string;
  /** The PNG bytes, base64. */
  captchaPng: string;
  cookies: Cookie[];
}

/** What a solver must be told about the login's security code. */
export interface SecurityCode {
  /** The portal compares the letters' case. */
  caseSensitive: boolean;
}

/** CIPC e-Services checks the login's image security code case-sensitively. */
const SECURITY_CODE: SecurityCode = { caseSensitive: true };

/** A person's reading of the security code on `screen`. */
export interface TypedCaptcha {
  text: string;
  screen: LoginScreen;
}

export interface LoginInput {
  portalUrl: string;
  customerCode: string;
  password: string;
  /** Reads the security code from the exact PNG bytes the portal served; throws to ask for a fresh one. */
  readCaptcha(image: Buffer, code: SecurityCode): Promise<CaptchaReading>;
  /** Tried first, once: the screen is shown again from what was kept, not fetched (which would change the code). */
  typedCaptcha?: TypedCaptcha;
  attempts?: number;
  /** Called with each fresh login screen, e.g. to keep its image and screen for a person to read. */
  onCaptcha?(screen: LoginScreen): Promise<void>;
}

const CAPTCHA_URL = /CaptchaImage\.aspx/i;

/** The kept screen in place of the portal's answers, once each, with the portal session's cookies. */
async function showAgain(page: Page, screen: LoginScreen): Promise<void> {
  await page.context().addCookies(screen.cookies);
  await page.route(
    (url) => url.href === screen.url,
    (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: screen.html }),
    { times: 1 },
  );
  await page.route(
    CAPTCHA_URL,
    (route) => route.fulfill({ contentType: 'image/png', body: Buffer.from(screen.captchaPng, 'base64') }),
    { times: 1 },
  );
  await page.goto(screen.url);
  await checkPage(page, 'login', ['login']);
}

/** Login.aspx: customer code, password, image security code, terms, Login → Home.aspx. */
export async function logIn(page: Page, input: LoginInput): Promise<void> {
  const attempts = input.attempts ?? 5;
  let typed = input.typedCaptcha;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let reading: CaptchaReading;
    if (typed) {
      await showAgain(page, typed.screen);
      reading = { text: typed.text, wrong: async () => {}, right: async () => {} };
      typed = undefined;
    } else {
      const image = page.waitForResponse((response) => CAPTCHA_URL.test(response.url()));
      // Awaited below; if the navigation fails first, this wait must not reject unhandled (that ends the process).
      image.catch(() => {});
      const response = await page.goto(`${input.portalUrl.replace(/\/$/, '')}/Login.aspx`);
      await checkPage(page, 'login', ['login']);
      const bytes = await (await image).body();
      await input.onCaptcha?.({
        url: page.url(),
        html: (await response?.text()) ?? (await page.content()),
        captchaPng: bytes.toString('base64'),
        cookies: await page.context().cookies(),
      });
      try {
        reading = await input.readCaptcha(bytes, SECURITY_CODE);
      } catch (err) {
        if (err instanceof Error && err.name === 'CaptchaUnsolvable' && attempt < attempts) continue;
        throw err;
      }
    }
    await page.getByLabel('Customer code').fill(input.customerCode);
    await page.getByLabel('Password').fill(input.password);
    await page.getByLabel('Security code').fill(reading.text);
    await page.getByLabel('I accept the terms and conditions').check();
    await page.getByRole('button', { name: 'Login' }).click();
    // A first login since CIPC's customer verification (2024) or an expired password lands elsewhere.
    if ((await checkPage(page, 'login', ['home', 'login'])) === 'home') {
      await reading.right();
      return;
    }
    const error =
      (await page
        .getByRole('alert')
        .textContent()
        .catch(() => '')) ?? '';
    // A person's reading typed after the portal session timed out meets "session expired": a fresh screen then.
    if (/security code|session has expired/i.test(error)) {
      await reading.wrong();
      continue;
    }
    throw new PortalRejected(`login refused: ${error.trim() || 'no message'}`);
  }
  throw new Error(`the portal did not accept a security code in ${attempts} attempts`);
}

/** Logout.aspx: ends the portal session, so its cookie is worth nothing afterwards. */
export async function logOut(page: Page, portalUrl: string): Promise<void> {
  await page.goto(`${portalUrl.replace(/\/$/, '')}/Logout.aspx`);
}
