import type { Page } from 'playwright';

/**
 * Waits until the page shows the text (the newest match). Generous: an answer that needs a lookup at the
 * portal crosses the outbox, Temporal and the worker, which on a loaded 2-core CI machine (other test
 * files run beside this one) has taken over 30 s; the wait is for correctness, not speed.
 */
export const seen = (page: Page, text: string | RegExp, timeout = 90_000) =>
  page.getByText(text).last().waitFor({ timeout });

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

export interface CompanyToChat {
  number: string;
  confirm: RegExp;
  years: number[];
  band: RegExp;
  total: string;
}

/**
 * On the phone simulator (open at the owner's number): chats from "hi" to the payment link, as an owner
 * does. Answers how many messages the owner typed or tapped, and the link.
 */
export async function chatToPaymentLink(
  page: Page,
  company: CompanyToChat,
): Promise<{ typedOrTapped: number; payUrl: string }> {
  let typedOrTapped = 0;
  await say(page, 'hi');
  typedOrTapped++;
  await page.getByRole('button', { name: 'I agree' }).last().click();
  typedOrTapped++;
  await say(page, company.number);
  typedOrTapped++;
  await seen(page, company.confirm);
  await page.getByRole('button', { name: /Yes$/ }).last().click();
  typedOrTapped++;
  for (const year of company.years) {
    await seen(page, new RegExp(`${year}`));
    await page.getByRole('button', { name: 'Choose turnover' }).last().click();
    await page.getByRole('dialog').getByRole('button', { name: company.band }).click();
    typedOrTapped++;
  }
  await say(page, 'Thandi Mokoena 8001015009087');
  typedOrTapped++;
  await say(page, 'thandi@example.co.za');
  typedOrTapped++;
  await seen(page, `Total: ${company.total}`);
  await page.getByRole('button', { name: 'Pay now' }).last().click();
  typedOrTapped++;
  const link = page.getByRole('link', { name: 'Pay now' }).last();
  await link.waitFor({ timeout: 30_000 });
  return { typedOrTapped, payUrl: (await link.getAttribute('href')) as string };
}
