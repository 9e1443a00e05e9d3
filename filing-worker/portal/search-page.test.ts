import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { searchEnterprise } from './search-page.js';

/**
 * The eServices search form with the control names public scripts use (drpSearchOptions, txtSearchCIPC,
 * the lnkSearchIcon LinkButton); its answer here is the register's "not found" message.
 */
const REAL_SHAPED_FORM = `<!DOCTYPE html><html><head><title>CIPC e-Services</title></head><body>
<form method="post" action="./Search.aspx" id="aspnetForm">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="vs" />
<select name="ctl00$cntMain$drpSearchOptions" id="ctl00_cntMain_drpSearchOptions">
<option value="EntName">Enterprise Name</option><option value="EntNo">Enterprise No.</option><option value="IDNo">ID No.</option></select>
<input name="ctl00$cntMain$txtSearchCIPC" type="text" id="ctl00_cntMain_txtSearchCIPC" />
<a id="ctl00_cntMain_lnkSearchIcon" href="javascript:__doPostBack('ctl00$cntMain$lnkSearchIcon','')">Search</a>
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="ev" />
</form></body></html>`;

describe('searchEnterprise on the real page structure', () => {
  const app = Fastify();
  const posted: Record<string, string>[] = [];
  let portalUrl: string;

  before(async () => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    app.get('/Search.aspx', async (_request, reply) => reply.type('text/html').send(REAL_SHAPED_FORM));
    app.post<{ Body: Record<string, string> }>('/Search.aspx', async (request, reply) => {
      posted.push(request.body);
      return reply
        .type('text/html')
        .send(
          '<html><body><span role="alert">No enterprise found with number 2019/123456/07.</span></body></html>',
        );
    });
    portalUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(() => app.close());

  it('posts the enterprise number as the real search does: EntNo, txtSearchCIPC and the search link', async () => {
    const outcome = await searchEnterprise(portalUrl, '2019/123456/07', { schedule: (task) => task() });
    assert.deepEqual(outcome, { kind: 'notFound' });
    assert.deepEqual(posted, [
      {
        __EVENTTARGET: 'ctl00$cntMain$lnkSearchIcon',
        __EVENTARGUMENT: '',
        __VIEWSTATE: 'vs',
        __EVENTVALIDATION: 'ev',
        ctl00$cntMain$drpSearchOptions: 'EntNo',
        ctl00$cntMain$txtSearchCIPC: '2019/123456/07',
      },
    ]);
  });
});
