import type { FastifyInstance } from 'fastify';
import { button, controlId, controlName, errorLabel, escapeHtml, rand, textBox } from '../controls.js';
import { type FormBody, field, type PortalContext } from '../portal-context.js';
import { annualReturnFee } from '../rules/annual-return-fee.js';
import { ENTERPRISE_TYPES, type EnterpriseType, enterpriseKind } from '../rules/enterprise-kind.js';

const PAGE = 'ArCalculator.aspx';
const TITLE = 'Annual Return Calculator';
const TYPES = Object.values(ENTERPRISE_TYPES);

function form(type = '', turnover = '', error?: string, feeCents?: number): string {
  const options = TYPES.map(
    (t) =>
      `<option value="${escapeHtml(t)}"${t === type ? ' selected="selected"' : ''}>${escapeHtml(t)}</option>`,
  ).join('');
  return `<p>Work out the annual return fee for an enterprise type and turnover. No login is needed.</p>
<div class="field"><label for="${controlId('drpEntType')}">Enterprise type</label>
<select name="${controlName('drpEntType')}" id="${controlId('drpEntType')}">${options}</select></div>
${textBox('txtTurnover', 'Turnover (R)', { value: turnover })}
<div class="field"><input type="checkbox" id="${controlId('chkLate')}" name="${controlName('chkLate')}" /><label for="${controlId('chkLate')}">Filed after the due date</label></div>
${button('btnCalculate', 'Calculate')}
${errorLabel(error)}
${feeCents === undefined ? '' : `<p>Annual return fee: <span id="cntMain_lblFee">${rand(feeCents)}</span></p>`}`;
}

/** The free, public AR calculator (no login): enterprise type and turnover in, the fee (Table CR 2B) out. */
export function registerArCalculator(app: FastifyInstance, portal: PortalContext): void {
  app.get(`/${PAGE}`, async (request, reply) => {
    const { session } = portal.session(request, reply);
    return portal.render(reply, session, PAGE, TITLE, form());
  });

  app.post<{ Body: FormBody }>(`/${PAGE}`, async (request, reply) => {
    const { session } = portal.session(request, reply);
    if (!portal.isValidPostback(session, PAGE, request.body)) return portal.invalidPostback(reply);
    const type = TYPES.find((t) => t === field(request.body, 'drpEntType')) as EnterpriseType | undefined;
    const turnover = field(request.body, 'txtTurnover');
    const cleaned = turnover.replace(/^R/i, '').replace(/[\s,]/g, '');
    if (!type || !/^\d+(\.\d{1,2})?$/.test(cleaned)) {
      return portal.render(
        reply,
        session,
        PAGE,
        TITLE,
        form(type, turnover, 'Please enter a valid turnover.'),
      );
    }
    const late = field(request.body, 'chkLate') !== '';
    const feeCents = annualReturnFee(enterpriseKind(type), Math.round(Number(cleaned) * 100), late);
    return portal.render(reply, session, PAGE, TITLE, form(type, turnover, undefined, feeCents));
  });
}
