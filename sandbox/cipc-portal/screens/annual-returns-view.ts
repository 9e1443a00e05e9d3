import { button, errorLabel, escapeHtml, radioList, rand, textBox } from '../controls.js';
import type { Enterprise, FasDetails, YearToFile } from '../portal-state.js';
import type { OutstandingYear } from '../rules/outstanding-years.js';

export const ASSURANCE_CHOICES: readonly FasDetails['assurance'][] = [
  'Audited',
  'Independently reviewed',
  'Neither',
];

/** The GridView row naming WebForms gives the turnover boxes: gvReturns$ctl02$txtTurnover, ctl03, ... */
export function turnoverControl(row: number): string {
  return `gvReturns$ctl${String(row + 2).padStart(2, '0')}$txtTurnover`;
}

export function enterpriseStep(value = '', error?: string): string {
  return `<p>Enter the enterprise number and click Validate.</p>
${textBox('txtEnterpriseNumber', 'Enterprise number', { value })}
${button('btnValidate', 'Validate')}
${errorLabel(error)}`;
}

/** The enterprise's particulars, as the filing screens and (with more rows) the public search show them. */
export function enterpriseDetails(enterprise: Enterprise, moreRows: [string, string][] = []): string {
  const rows: [string, string][] = [
    ['Enterprise Name', enterprise.name],
    ['Enterprise Number', enterprise.number],
    ['Enterprise Type', enterprise.type],
    ['Enterprise Status', enterprise.status],
    ['Registration Date', enterprise.incorporated],
    ...moreRows,
  ];
  return `<table id="cntMain_tblEnterprise" aria-label="Enterprise details">${rows
    .map(([k, v]) => `<tr><th scope="row">${k}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</table>`;
}

export function turnoverStep(
  enterprise: Enterprise,
  years: readonly OutstandingYear[],
  turnovers: Readonly<Record<number, string>>,
  calculated: readonly YearToFile[] | undefined,
  error?: string,
): string {
  const rows = years.map((y, i) => {
    const fee = calculated?.find((c) => c.year === y.year);
    const feeCell = fee ? `${rand(fee.feeCents)}${fee.late ? ' (late)' : ''}` : '';
    return `<tr><td>${y.year}</td><td>${y.anniversary}</td><td>${y.closes}</td>
<td>${textBox(turnoverControl(i), `Turnover for ${y.year} (R)`, { value: turnovers[y.year] ?? '', domId: `cntMain_gvReturns_txtTurnover_${i}` })}</td>
<td id="cntMain_gvReturns_lblFee_${i}">${feeCell}</td></tr>`;
  });
  const total = calculated?.reduce((sum, c) => sum + c.feeCents, 0);
  const notice =
    enterprise.status === 'AR Deregistration Process'
      ? '<p class="info" role="status">This enterprise is in the AR deregistration process. Filing all outstanding annual returns stops the process.</p>'
      : '';
  return `${enterpriseDetails(enterprise)}${notice}
<h2>Outstanding Annual Returns</h2>
<table id="cntMain_gvReturns" aria-label="Outstanding annual returns">
<tr><th scope="col">Year</th><th scope="col">Anniversary</th><th scope="col">Due Date</th><th scope="col">Turnover</th><th scope="col">Fee</th></tr>
${rows.join('\n')}
</table>
${errorLabel(error)}
${button('btnCalculate', 'Calculate')}
${total === undefined ? '' : `<p>Total amount payable: <span id="cntMain_lblTotal">${rand(total)}</span></p>${button('btnContinue', 'Continue')}`}
${button('btnCancel', 'Cancel')}`;
}

export function blockedStep(enterprise: Enterprise, message: string): string {
  return `${enterpriseDetails(enterprise)}${errorLabel(message)}
<p><a href="Home.aspx">Return to Home</a></p>${button('btnCancel', 'Cancel')}`;
}

export function fasStep(fas: Partial<FasDetails>, error?: string): string {
  return `<h2>Financial Accountability Supplement (FAS)</h2>
${errorLabel(error)}
${textBox('txtRecordsKeeperName', 'Name of the person who keeps the accounting records', { value: fas.recordsKeeperName })}
${textBox('txtRecordsKeeperId', 'ID or registration number of the person who keeps the accounting records', { value: fas.recordsKeeperId })}
${textBox('txtPreparerName', 'Name of the person who prepared the financial statements', { value: fas.preparerName })}
${textBox('txtPreparerId', 'ID, registration or practice number of the person who prepared the financial statements', { value: fas.preparerId })}
${radioList('rblAssurance', 'Were the financial statements audited or independently reviewed?', ASSURANCE_CHOICES, fas.assurance)}
${button('btnFasContinue', 'Continue')} ${button('btnCancel', 'Cancel')}`;
}

export function payStep(
  enterprise: Enterprise,
  calculated: readonly YearToFile[],
  balanceCents: number,
  error?: string,
): string {
  const total = calculated.reduce((sum, c) => sum + c.feeCents, 0);
  const rows = calculated
    .map(
      (c) =>
        `<tr><td>${c.year}</td><td>${rand(c.turnoverCents)}</td><td>${rand(c.feeCents)}${c.late ? ' (late)' : ''}</td></tr>`,
    )
    .join('');
  return `${enterpriseDetails(enterprise)}
<h2>Payment</h2>
<table id="cntMain_gvPayment" aria-label="Annual returns to pay">
<tr><th scope="col">Year</th><th scope="col">Turnover</th><th scope="col">Fee</th></tr>${rows}</table>
<p>Total amount payable: <span id="cntMain_lblTotal">${rand(total)}</span></p>
<p>Available prepaid balance: <span id="cntMain_lblBalance">${rand(balanceCents)}</span></p>
${errorLabel(error)}
${button('btnPay', 'Pay from prepaid balance')} ${button('btnCancel', 'Cancel')}`;
}
