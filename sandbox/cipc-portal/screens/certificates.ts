import type { FastifyInstance } from 'fastify';
import { certificatePdf } from '../certificate-pdf.js';
import { button, errorLabel, escapeHtml, rand, textBox } from '../controls.js';
import { parseEnterpriseNumber } from '../parse-enterprise-number.js';
import { type FormBody, field, type PortalContext } from '../portal-context.js';
import type { Filing } from '../portal-state.js';

function filingsTable(id: string, label: string, filings: readonly Filing[], portal: PortalContext): string {
  const rows = filings.map((f) => {
    const name = portal.state.enterprise(f.enterpriseNumber)?.name ?? '';
    return `<tr><td>${escapeHtml(f.enterpriseNumber)}</td><td>${escapeHtml(name)}</td><td>${f.year}</td>
<td>${f.reference}</td><td>${f.filedOn}</td><td>${rand(f.feeCents)}</td>
<td><a href="Certificate.aspx?ref=${f.reference}">Download certificate for ${f.year}</a></td></tr>`;
  });
  return `<table id="${id}" aria-label="${label}">
<tr><th scope="col">Enterprise Number</th><th scope="col">Enterprise Name</th><th scope="col">Year</th><th scope="col">AR Reference</th><th scope="col">Date Filed</th><th scope="col">Amount</th><th scope="col">Certificate</th></tr>
${rows.join('\n') || '<tr><td colspan="7">No annual returns found</td></tr>'}
</table>`;
}

/** The confirmation after paying, the certificate PDF, reprints by enterprise number, and the filed history. */
export function registerCertificates(app: FastifyInstance, portal: PortalContext): void {
  app.get<{ Querystring: { tx?: string } }>('/ArConfirmation.aspx', async (request, reply) => {
    const session = portal.customerSession(request, reply);
    if (!session) return reply;
    const filings = portal.state
      .filingsOfTransaction(request.query.tx ?? '')
      .filter((f) => f.customerCode === session.customerCode);
    if (filings.length === 0) return reply.redirect('Home.aspx');
    const total = filings.reduce((sum, f) => sum + f.feeCents, 0);
    const balance = portal.state.customer(session.customerCode ?? '')?.balanceCents ?? 0;
    return portal.render(
      reply,
      session,
      `ArConfirmation.aspx?tx=${request.query.tx}`,
      'Annual Return Filing Confirmation',
      `<p class="info" role="status" id="cntMain_lblConfirmation">Your annual returns have been filed successfully. The Abridged Certificate for Annual Returns has been emailed to the customer code's email address.</p>
${filingsTable('cntMain_gvFiled', 'Filed annual returns', filings, portal)}
<p>Total paid: <span id="cntMain_lblTotalPaid">${rand(total)}</span></p>
<p>Remaining prepaid balance: <span id="cntMain_lblBalance">${rand(balance)}</span></p>
<p><a href="Home.aspx">Return to Home</a></p>`,
    );
  });

  app.get<{ Querystring: { ref?: string } }>('/Certificate.aspx', async (request, reply) => {
    const session = portal.customerSession(request, reply);
    if (!session) return reply;
    const filing = portal.state.filingByReference(request.query.ref ?? '');
    const enterprise = filing && portal.state.enterprise(filing.enterpriseNumber);
    if (!filing || !enterprise) return reply.status(404).type('text/plain').send('Certificate not found');
    const pdf = certificatePdf('Abridged Certificate for Annual Returns', [
      'Companies and Intellectual Property Commission',
      `Enterprise name: ${enterprise.name}`,
      `Enterprise number: ${enterprise.number}`,
      `Annual return year: ${filing.year}`,
      `AR reference: ${filing.reference}`,
      `Date filed: ${filing.filedOn}`,
      `Amount paid: ${rand(filing.feeCents)}`,
      'This certifies that the annual return above has been filed with the Commission.',
    ]);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="AR-Certificate-${filing.reference}.pdf"`)
      .send(pdf);
  });

  const reprintForm = (value = '', error?: string) =>
    `${textBox('txtEnterpriseNumber', 'Enterprise number', { value })}${button('btnSearch', 'Search')}${errorLabel(error)}`;

  app.get('/Reprint.aspx', async (request, reply) => {
    const session = portal.customerSession(request, reply);
    if (!session) return reply;
    return portal.render(reply, session, 'Reprint.aspx', 'Reprint Certificates', reprintForm());
  });

  app.post<{ Body: FormBody }>('/Reprint.aspx', async (request, reply) => {
    const session = portal.customerSession(request, reply);
    if (!session) return reply;
    if (!portal.isValidPostback(session, 'Reprint.aspx', request.body)) return portal.invalidPostback(reply);
    const typed = field(request.body, 'txtEnterpriseNumber');
    const number = parseEnterpriseNumber(typed);
    const enterprise = number ? portal.state.enterprise(number) : undefined;
    if (!number || !enterprise) {
      return portal.render(
        reply,
        session,
        'Reprint.aspx',
        'Reprint Certificates',
        reprintForm(typed, 'Enterprise not found.'),
      );
    }
    const table = filingsTable(
      'cntMain_gvCertificates',
      'Annual return certificates',
      portal.state.filingsOf(number),
      portal,
    );
    return portal.render(reply, session, 'Reprint.aspx', 'Reprint Certificates', reprintForm(typed) + table);
  });

  app.get('/History.aspx', async (request, reply) => {
    const session = portal.customerSession(request, reply);
    if (!session) return reply;
    const filings = portal.state.allFilings().filter((f) => f.customerCode === session.customerCode);
    return portal.render(
      reply,
      session,
      'History.aspx',
      'Filed Annual Returns',
      filingsTable('cntMain_gvHistory', 'Filed annual returns', filings, portal),
    );
  });
}
