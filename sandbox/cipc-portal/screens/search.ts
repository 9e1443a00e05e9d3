import type { FastifyInstance } from 'fastify';
import { button, errorLabel, textBox } from '../controls.js';
import { parseEnterpriseNumber } from '../parse-enterprise-number.js';
import { type FormBody, field, type PortalContext } from '../portal-context.js';
import type { Enterprise } from '../portal-state.js';
import { enterpriseDetails } from './annual-returns-view.js';

const PAGE = 'Search.aspx';

function form(value = '', error?: string): string {
  return `<p>Search the CIPC register by enterprise number. No login is needed.</p>
${textBox('txtEnterpriseNumber', 'Enterprise number', { value })}
${button('btnSearch', 'Search')}
${errorLabel(error)}`;
}

function results(portal: PortalContext, enterprise: Enterprise): string {
  const filings = portal.state.filingsOf(enterprise.number);
  const outstanding = portal.state.outstanding(enterprise.number, portal.today()).map((y) => y.year);
  const details = enterpriseDetails(enterprise, [
    ['Beneficial Ownership Declaration Year', String(enterprise.boDeclarationYears.at(-1) ?? 'None')],
    ['Outstanding Annual Returns', outstanding.join(', ') || 'None'],
  ]);
  const history = filings
    .map((f) => `<tr><td>${f.year}</td><td>${f.filedOn}</td><td>Filed</td></tr>`)
    .join('');
  return `${details}
<h2>Annual Return History</h2>
<table id="cntMain_gvAnnualReturns" aria-label="Annual return history">
<tr><th scope="col">Year</th><th scope="col">Date Filed</th><th scope="col">Status</th></tr>
${history || '<tr><td colspan="3">No annual returns on record</td></tr>'}
</table>`;
}

/** The public enterprise search: no login, one number in, the register entry and AR history out. */
export function registerSearch(app: FastifyInstance, portal: PortalContext): void {
  app.get(`/${PAGE}`, async (request, reply) => {
    const { session } = portal.session(request, reply);
    return portal.render(reply, session, PAGE, 'Enterprise Search', form());
  });

  app.post<{ Body: FormBody }>(`/${PAGE}`, async (request, reply) => {
    const { session } = portal.session(request, reply);
    if (!portal.isValidPostback(session, PAGE, request.body)) return portal.invalidPostback(reply);
    const typed = field(request.body, 'txtEnterpriseNumber');
    const number = parseEnterpriseNumber(typed);
    if (!number) {
      return portal.render(
        reply,
        session,
        PAGE,
        'Enterprise Search',
        form(typed, 'Please enter a valid enterprise number, e.g. 2019/123456/07.'),
      );
    }
    const enterprise = portal.state.enterprise(number);
    if (!enterprise) {
      return portal.render(
        reply,
        session,
        PAGE,
        'Enterprise Search',
        form(typed, `No enterprise found with number ${number}.`),
      );
    }
    return portal.render(
      reply,
      session,
      PAGE,
      'Enterprise Search',
      form(typed) + results(portal, enterprise),
    );
  });
}
