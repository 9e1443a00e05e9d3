import type { FastifyInstance } from 'fastify';
import { escapeHtml, rand } from '../controls.js';
import type { PortalContext } from '../portal-context.js';

/** The landing page after login: balance and the Transact menu. */
export function registerHome(app: FastifyInstance, portal: PortalContext): void {
  app.get('/Home.aspx', async (request, reply) => {
    const session = portal.customerSession(request, reply);
    if (!session?.customerCode) return reply;
    const customer = portal.state.customer(session.customerCode);
    return portal.render(
      reply,
      session,
      'Home.aspx',
      'Welcome',
      `<p>Welcome, <span id="cntMain_lblCustomerCode">${escapeHtml(session.customerCode)}</span>.</p>
<p>Prepaid balance: <span id="cntMain_lblBalance">${rand(customer?.balanceCents ?? 0)}</span></p>
<h2>Transact</h2>
<ul><li><a href="AnnualReturns.aspx">File Annual Returns</a></li>
<li><a href="Reprint.aspx">Reprint Certificates</a></li>
<li><a href="History.aspx">Filed Annual Returns</a></li></ul>`,
    );
  });
}
