import { escapeHtml, htmlPage } from './html-page.js';

export interface PayPageInput {
  provider: string;
  merchantName: string;
  itemName: string;
  itemDescription?: string;
  amount: string;
  /** Where the buttons post `action=pay|cancel|fail`. */
  action: string;
}

/** The hosted payment page: what is bought, for how much, and the buyer's three possible outcomes. */
export function payPage(input: PayPageInput): string {
  const description = input.itemDescription ? `<p>${escapeHtml(input.itemDescription)}</p>` : '';
  return htmlPage(
    `${input.provider} sandbox: pay R ${input.amount}`,
    `<h1>${escapeHtml(input.provider)} sandbox</h1>
<p>Pay <strong>${escapeHtml(input.merchantName)}</strong></p>
<section aria-labelledby="item"><h2 id="item">${escapeHtml(input.itemName)}</h2>${description}
<p>Amount: <strong>R ${escapeHtml(input.amount)}</strong></p></section>
<form method="post" action="${escapeHtml(input.action)}">
<button type="submit" name="action" value="pay">Pay R ${escapeHtml(input.amount)}</button>
<button type="submit" name="action" value="cancel">Cancel</button>
<button type="submit" name="action" value="fail">Fail</button>
</form>
<p><small>Test environment: no money moves. “Fail” simulates a declined payment.</small></p>`,
  );
}
