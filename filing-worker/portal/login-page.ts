import type { Page } from 'playwright';
import { checkPage } from './check-page.js';
import { PortalRejected } from './portal-errors.js';

export interface CaptchaReading {
  text: string;
  /** The portal refused it: tell the solver (2Captcha refunds and learns). */
  wrong(): Promise<void>;
  right(): Promise<void>;
}

export interface LoginInput {
  portalUrl: string;
  customerCode: string;
  password: string;
  /** Reads the security code from the exact PNG bytes the portal served; throws to ask for a fresh one. */
  readCaptcha(image: Buffer): Promise<CaptchaReading>;
  /** A person's reading of the captcha already on the page (captcha service down): used once, no reload. */
  typedCaptcha?: string;
  attempts?: number;
  /** Called with each fresh captcha image, e.g. to keep it for a person to read. */
  onCaptcha?(image: Buffer): Promise<void>;
}

const CAPTCHA_URL = /CaptchaImage\.aspx/i;

/** Login.aspx: customer code, password, image security code, terms, Login → Home.aspx. */
export async function logIn(page: Page, input: LoginInput): Promise<void> {
  const attempts = input.attempts ?? 5;
  let typed = input.typedCaptcha && /Login\.aspx/i.test(page.url()) ? input.typedCaptcha : undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let reading: CaptchaReading;
    if (typed) {
      reading = { text: typed, wrong: async () => {}, right: async () => {} };
      typed = undefined;
    } else {
      const image = page.waitForResponse((response) => CAPTCHA_URL.test(response.url()));
      // Awaited below; if the navigation fails first, this wait must not reject unhandled (that ends the process).
      image.catch(() => {});
      await page.goto(`${input.portalUrl.replace(/\/$/, '')}/Login.aspx`);
      await checkPage(page, 'login');
      const bytes = await (await image).body();
      await input.onCaptcha?.(bytes);
      try {
        reading = await input.readCaptcha(bytes);
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
    await checkPage(page, 'login');
    if (!/Login\.aspx/i.test(page.url())) {
      await reading.right();
      return;
    }
    const error =
      (await page
        .getByRole('alert')
        .textContent()
        .catch(() => '')) ?? '';
    if (/security code/i.test(error)) {
      await reading.wrong();
      continue;
    }
    throw new PortalRejected(`login refused: ${error.trim() || 'no message'}`);
  }
  throw new Error(`the portal did not accept a security code in ${attempts} attempts`);
}
