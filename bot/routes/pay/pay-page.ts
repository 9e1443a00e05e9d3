import { formatRand } from '../../../flows/cipc/index.js';
import { escapeHtml } from '../../html/escape-html.js';
import type { Order } from './find-order-by-token.js';
import { htmlPage } from './html-page.js';

const SAST = new Intl.DateTimeFormat('en-ZA', {
  timeZone: 'Africa/Johannesburg',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
});

/** The payment page: what is being paid for, year by year, and the two ways to pay. */
export function payPage(order: Order, basePath: string): string {
  const years = order.years
    .map(
      (y) =>
        `<tr><td>CIPC annual return ${y.year}${y.late ? ' <span class="muted">(late)</span>' : ''}</td><td>${formatRand(y.feeCents)}</td></tr>`,
    )
    .join('');
  return htmlPage(
    `Pay ${formatRand(order.amountCents)}: ${order.companyName}`,
    `<div class="card">
<p class="muted">Annual returns for</p>
<h1>${escapeHtml(order.companyName)}</h1>
<p class="muted">${escapeHtml(order.registrationNumber)} · reference ${escapeHtml(order.reference)}</p>
<table>
${years}
<tr><td>Service fee</td><td>${formatRand(order.serviceFeeCents)}</td></tr>
<tr class="total"><td>Total</td><td>${formatRand(order.amountCents)}</td></tr>
</table>
</div>
<div class="card">
<a class="button" href="${escapeHtml(basePath)}/payfast">Pay with card or EFT (PayFast)</a>
<a class="button secondary" href="${escapeHtml(basePath)}/ozow">Pay with instant EFT (Ozow)</a>
<p class="muted">This link works until ${escapeHtml(SAST.format(order.payTokenExpiresAt))}. Once the payment is confirmed we file with CIPC and keep you posted on WhatsApp.</p>
</div>`,
  );
}

/** Submits the PayFast form on load; the Content-Security-Policy allows exactly this script by its hash. */
export const PAYFAST_SUBMIT_SCRIPT = "document.getElementById('payfast').submit()";

/** PayFast's checkout: the signed fields posted to PayFast as soon as the page loads. */
export function payfastRedirectPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return htmlPage(
    'Taking you to PayFast',
    `<div class="card"><h1>Taking you to PayFast…</h1>
<form id="payfast" method="post" action="${escapeHtml(action)}">
${inputs}
<button type="submit">Continue to PayFast</button>
</form></div>
<script>${PAYFAST_SUBMIT_SCRIPT}</script>`,
  );
}
