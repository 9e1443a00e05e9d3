import type { FastifyInstance } from 'fastify';
import { controlName, errorLabel, escapeHtml, textBox } from '../controls.js';
import { parseEnterpriseNumber } from '../parse-enterprise-number.js';
import { type FormBody, field, type PortalContext } from '../portal-context.js';
import type { Enterprise } from '../portal-state.js';
import { enterpriseDetails } from './annual-returns-view.js';

const PAGE = 'Search.aspx';

/** The search types of the real drop-down; the simulator answers enterprise-number searches only. */
const SEARCH_OPTIONS: readonly [string, string][] = [
  ['EntName', 'Enterprise Name'],
  ['EntNo', 'Enterprise No.'],
  ['IDNo', 'ID No.'],
];
const SEARCH_LINK = controlName('lnkSearchIcon');

/**
 * The controls as public scripts that drive eservices.cipc.co.za name them: the search-type drop-down
 * `drpSearchOptions`, the query `txtSearchCIPC` and the magnifier LinkButton `lnkSearchIcon` (it posts
 * back through __EVENTTARGET); ids in the page's `ctl00_cntMain_` form.
 */
function form(value = '', option = 'EntNo', error?: string): string {
  const options = SEARCH_OPTIONS.map(
    ([v, text]) =>
      `<option value="${v}"${v === option ? ' selected="selected"' : ''}>${escapeHtml(text)}</option>`,
  ).join('');
  return `<p>Search the CIPC register. No login is needed.</p>
<div class="field"><label for="ctl00_cntMain_drpSearchOptions">Search by</label>
<select name="${controlName('drpSearchOptions')}" id="ctl00_cntMain_drpSearchOptions">${options}</select></div>
${textBox('txtSearchCIPC', 'Enterprise number', { value, domId: 'ctl00_cntMain_txtSearchCIPC' })}
<a id="ctl00_cntMain_lnkSearchIcon" href="javascript:__doPostBack('${SEARCH_LINK}','')">Search</a>
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
    const typed = field(request.body, 'txtSearchCIPC');
    const option = field(request.body, 'drpSearchOptions') || 'EntNo';
    if (request.body.__EVENTTARGET !== SEARCH_LINK) {
      return portal.render(reply, session, PAGE, 'Enterprise Search', form(typed, option));
    }
    if (option !== 'EntNo') {
      return portal.render(
        reply,
        session,
        PAGE,
        'Enterprise Search',
        form(typed, option, 'The simulator searches by enterprise number only.'),
      );
    }
    const number = parseEnterpriseNumber(typed);
    if (!number) {
      return portal.render(
        reply,
        session,
        PAGE,
        'Enterprise Search',
        form(typed, option, 'Please enter a valid enterprise number, e.g. 2019/123456/07.'),
      );
    }
    const enterprise = portal.state.enterprise(number);
    if (!enterprise) {
      return portal.render(
        reply,
        session,
        PAGE,
        'Enterprise Search',
        form(typed, option, `No enterprise found with number ${number}.`),
      );
    }
    return portal.render(
      reply,
      session,
      PAGE,
      'Enterprise Search',
      form(typed, option) + results(portal, enterprise),
    );
  });
}
