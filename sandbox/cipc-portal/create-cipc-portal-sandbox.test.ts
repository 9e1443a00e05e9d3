import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { type CipcPortalControl, createCipcPortalSandbox } from './create-cipc-portal-sandbox.js';
import {
  SESSION_EXPIRED,
  TERMS_NOT_ACCEPTED,
  WRONG_CREDENTIALS,
  WRONG_SECURITY_CODE,
} from './screens/login.js';
import { errorOf, WebFormsClient } from './testing/web-forms-client.js';

const PREFIX = '/cipc';

async function start(): Promise<{ app: FastifyInstance; control: CipcPortalControl }> {
  const { plugin, control } = createCipcPortalSandbox({ today: () => new Date('2026-11-21T08:00:00Z') });
  const app = Fastify();
  await app.register(plugin, { prefix: PREFIX });
  await app.ready();
  return { app, control };
}

async function captchaOf(client: WebFormsClient, control: CipcPortalControl): Promise<string> {
  const image = await client.get('CaptchaImage.aspx');
  assert.equal(image.contentType, 'image/png');
  const answer = control.captchaAnswerFor(image.raw);
  assert.ok(answer, 'the portal knows the answer to the image it served');
  return answer;
}

/** Logs in as SANDBOX1; an override of `undefined` leaves that field out of the post. */
async function login(
  client: WebFormsClient,
  control: CipcPortalControl,
  overrides: Record<string, string | undefined> = {},
) {
  await client.get('Login.aspx');
  const fields = {
    txtCustomerCode: 'SANDBOX1',
    txtPassword: 'Sandbox#2026',
    txtCaptcha: await captchaOf(client, control),
    chkTerms: 'on',
    btnLogin: 'Login',
    ...overrides,
  };
  return client.post(
    'Login.aspx',
    Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)),
  );
}

describe('CIPC portal sandbox over HTTP', () => {
  let app: FastifyInstance;
  let control: CipcPortalControl;
  before(async () => {
    ({ app, control } = await start());
  });
  after(() => app.close());

  describe('public enterprise search', () => {
    it('shows name, type, status, registration date, AR history and BO year without a login', async () => {
      const client = new WebFormsClient(app, PREFIX);
      await client.get('Search.aspx');
      const page = await client.post(
        'Search.aspx',
        { drpSearchOptions: 'EntNo', txtSearchCIPC: '2019 123456 07' },
        'lnkSearchIcon',
      );
      assert.equal(page.status, 200);
      for (const text of [
        'ACME TRADING (PTY) LTD',
        'Private Company',
        'In Business',
        '2019-03-14',
        '2025, 2026',
      ]) {
        assert.match(page.body, new RegExp(text.replace(/[()]/g, '\\$&')));
      }
      assert.match(page.body, /Beneficial Ownership Declaration Year<\/th><td>2026/);
      assert.equal((page.body.match(/<td>Filed<\/td>/g) ?? []).length, 5);
    });

    it('says so when the number is unknown or malformed', async () => {
      const client = new WebFormsClient(app, PREFIX);
      await client.get('Search.aspx');
      const unknown = await client.post(
        'Search.aspx',
        { drpSearchOptions: 'EntNo', txtSearchCIPC: '2001/000001/07' },
        'lnkSearchIcon',
      );
      assert.equal(errorOf(unknown.body), 'No enterprise found with number 2001/000001/07.');
      const malformed = await client.post(
        'Search.aspx',
        { drpSearchOptions: 'EntNo', txtSearchCIPC: 'ACME' },
        'lnkSearchIcon',
      );
      assert.match(errorOf(malformed.body) ?? '', /valid enterprise number/);
    });

    it('rejects a postback without the event validation field like ASP.NET does', async () => {
      const response = await app.inject({
        method: 'POST',
        url: `${PREFIX}/Search.aspx`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'ctl00%24cntMain%24txtSearchCIPC=2019%2F123456%2F07',
      });
      assert.equal(response.statusCode, 500);
      assert.match(response.body, /Invalid postback or callback argument/);
    });

    it('renders WebForms field names, ids and labels, with relative links and actions', async () => {
      const page = await new WebFormsClient(app, PREFIX).get('Login.aspx');
      assert.match(page.body, /<form method="post" action="Login.aspx" id="aspnetForm">/);
      assert.match(
        page.body,
        /name="ctl00\$cntMain\$txtCustomerCode" type="text" id="cntMain_txtCustomerCode"/,
      );
      assert.match(page.body, /<label for="cntMain_txtCustomerCode">Customer code<\/label>/);
      assert.match(page.body, /id="__VIEWSTATE"/);
      assert.doesNotMatch(page.body, /(href|src|action)="\//);
    });
  });

  describe('customer login', () => {
    const cases: [string, Record<string, string | undefined>, string][] = [
      ['a wrong password', { txtPassword: 'sandbox#2026' }, WRONG_CREDENTIALS],
      ['an unknown customer code', { txtCustomerCode: 'NOBODY' }, WRONG_CREDENTIALS],
      ['a wrong security code', { txtCaptcha: 'ZZZZZZ' }, WRONG_SECURITY_CODE],
      ['the terms not accepted', { chkTerms: undefined }, TERMS_NOT_ACCEPTED],
    ];
    for (const [what, overrides, message] of cases) {
      it(`refuses ${what} and serves a fresh security code`, async () => {
        const client = new WebFormsClient(app, PREFIX);
        const page = await login(client, control, overrides);
        assert.equal(page.status, 200);
        assert.equal(errorOf(page.body), message);
        assert.match(page.body, /CaptchaImage\.aspx/);
      });
    }

    it('logs in with the right code, case-sensitive password and security code', async () => {
      const client = new WebFormsClient(app, PREFIX);
      const response = await login(client, control);
      assert.equal(response.status, 302);
      assert.equal(response.location, 'Home.aspx');
      const home = await client.get('Home.aspx');
      assert.match(home.body, /Prepaid balance: <span id="cntMain_lblBalance">R 50,000.00/);
      assert.match(home.body, /<a href="AnnualReturns.aspx">File Annual Returns<\/a>/);
    });

    it('compares the security code case-sensitively: the right letters in the wrong case are refused', async () => {
      for (const recase of [(code: string) => code.toUpperCase(), (code: string) => code.toLowerCase()]) {
        const client = new WebFormsClient(app, PREFIX);
        await client.get('Login.aspx');
        const code = await captchaOf(client, control);
        assert.match(code, /[a-z]/, 'every security code mixes lower-case and capital letters');
        assert.match(code, /[A-Z]/);
        const page = await client.post('Login.aspx', {
          txtCustomerCode: 'SANDBOX1',
          txtPassword: 'Sandbox#2026',
          txtCaptcha: recase(code),
          chkTerms: 'on',
          btnLogin: 'Login',
        });
        assert.equal(errorOf(page.body), WRONG_SECURITY_CODE);
      }
    });

    it('rejects a right security code as often as the captcha fault says', async () => {
      control.rejectCaptcha(2);
      const client = new WebFormsClient(app, PREFIX);
      assert.equal(errorOf((await login(client, control)).body), WRONG_SECURITY_CODE);
      assert.equal(errorOf((await login(client, control)).body), WRONG_SECURITY_CODE);
      assert.equal((await login(client, control)).status, 302);
    });

    it('sends a timed-out session back to the login page with the expiry message', async () => {
      const client = new WebFormsClient(app, PREFIX);
      await login(client, control);
      control.expireSessions();
      const response = await client.get('AnnualReturns.aspx');
      assert.equal(response.status, 302);
      assert.equal(response.location, 'Login.aspx?expired=1');
      const loginPage = await client.get('Login.aspx?expired=1');
      assert.match(loginPage.body, new RegExp(SESSION_EXPIRED));
    });

    it('expires a session after N requests when asked to, mid-flow', async () => {
      control.setFaults({ sessionExpiresAfterRequests: 2 });
      const client = new WebFormsClient(app, PREFIX);
      await login(client, control);
      control.setFaults({ sessionExpiresAfterRequests: undefined });
      assert.equal((await client.get('Home.aspx')).status, 200);
      assert.equal((await client.get('AnnualReturns.aspx')).status, 200);
      assert.equal((await client.get('AnnualReturns.aspx')).location, 'Login.aspx?expired=1');
    });
  });

  describe('faults', () => {
    it('shows the maintenance page while maintenance is on, then recovers', async () => {
      control.setMaintenance(true, 60_000);
      const down = await app.inject(`${PREFIX}/Search.aspx`);
      assert.equal(down.statusCode, 503);
      assert.match(down.body, /scheduled maintenance/);
      control.setMaintenance(false);
      assert.equal((await app.inject(`${PREFIX}/Search.aspx`)).statusCode, 200);
    });

    it('delays every response by the configured latency', async () => {
      control.setFaults({ latencyMs: 150 });
      const started = Date.now();
      await app.inject(`${PREFIX}/Search.aspx`);
      assert.ok(Date.now() - started >= 140);
      control.resetFaults();
    });

    it('answers 500 at the configured rate', async () => {
      control.setFaults({ serverErrorRate: 1 });
      assert.equal((await app.inject(`${PREFIX}/Search.aspx`)).statusCode, 500);
      control.resetFaults();
      assert.equal((await app.inject(`${PREFIX}/Search.aspx`)).statusCode, 200);
    });
  });
});

describe('mounting', () => {
  it('works at the root too, redirecting / to the login page', async () => {
    const { plugin } = createCipcPortalSandbox();
    const app = Fastify();
    await app.register(plugin);
    const response = await app.inject('/');
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/Login.aspx');
    assert.equal((await app.inject('/Login.aspx')).statusCode, 200);
    await app.close();
  });
});

describe('filing annual returns over HTTP', () => {
  let app: FastifyInstance;
  let control: CipcPortalControl;
  let client: WebFormsClient;
  before(async () => {
    ({ app, control } = await start());
    client = new WebFormsClient(app, PREFIX);
    await login(client, control);
  });
  after(() => app.close());

  async function validate(number: string) {
    await client.get('AnnualReturns.aspx');
    return client.post('AnnualReturns.aspx', { txtEnterpriseNumber: number, btnValidate: 'Validate' });
  }

  it('refuses a deregistered enterprise at Validate', async () => {
    const page = await validate('2012/333333/07');
    assert.match(errorOf(page.body) ?? '', /status "Deregistered" does not allow annual returns to be filed/);
  });

  it('says when nothing is outstanding', async () => {
    const page = await validate('2015/401122/07');
    assert.equal(errorOf(page.body), 'There are no outstanding annual returns for 2015/401122/07.');
  });

  it('stops at the BO check when the year has no beneficial ownership declaration', async () => {
    await validate('2016/222222/07');
    const calculated = await client.post('AnnualReturns.aspx', {
      gvReturns$ctl02$txtTurnover: '500000',
      btnCalculate: 'Calculate',
    });
    assert.match(calculated.body, /id="cntMain_lblTotal">R 150.00/);
    const blocked = await client.post('AnnualReturns.aspx', { btnContinue: 'Continue' });
    assert.match(errorOf(blocked.body) ?? '', /no beneficial ownership declaration has been filed for 2026/);
    assert.doesNotMatch(blocked.body, /btnPay/);
  });

  it('refuses to pay more than the prepaid balance, then files KAROO once paid up, with the fee drift knob', async () => {
    control.setFaults({ feeDriftCents: 7 });
    await validate('2008/765432/23');
    const calculated = await client.post('AnnualReturns.aspx', {
      gvReturns$ctl02$txtTurnover: 'R 1,200,000',
      btnCalculate: 'Calculate',
    });
    assert.match(calculated.body, /id="cntMain_lblTotal">R 250.07/);
    await client.post('AnnualReturns.aspx', { btnContinue: 'Continue' });
    const pay = await client.post('AnnualReturns.aspx', {
      txtRecordsKeeperName: 'Thandi Mokoena',
      txtRecordsKeeperId: '8001015009087',
      txtPreparerName: 'Karoo Accountants',
      txtPreparerId: 'SAIPA 12345',
      rblAssurance: 'Neither',
      btnFasContinue: 'Continue',
    });
    assert.match(pay.body, /Pay from prepaid balance/);
    control.setBalance('SANDBOX1', 100_00);
    const refused = await client.post('AnnualReturns.aspx', { btnPay: 'Pay from prepaid balance' });
    assert.match(errorOf(refused.body) ?? '', /^Insufficient funds/);
    assert.deepEqual(control.filings('2008/765432/23').at(-1)?.year, 2025);
    control.setBalance('SANDBOX1', 1_000_00);
    control.setFaults({ confirmationDelayMs: 200 });
    const started = Date.now();
    const paid = await client.post('AnnualReturns.aspx', { btnPay: 'Pay from prepaid balance' });
    assert.ok(Date.now() - started >= 190, 'the confirmation is slow');
    assert.equal(paid.status, 302);
    assert.match(paid.location ?? '', /^ArConfirmation\.aspx\?tx=T\d+$/);
    const again = await client.post('AnnualReturns.aspx', { btnPay: 'Pay from prepaid balance' });
    assert.equal(again.status, 200, 'a repeated Pay postback does not pay twice');
    assert.equal(control.balance('SANDBOX1'), 1_000_00 - 250_07);
    const filed = control.filings('2008/765432/23').at(-1);
    assert.deepEqual([filed?.year, filed?.paidCount, filed?.feeCents, filed?.late], [2026, 1, 250_07, true]);
    assert.equal(filed?.fas?.preparerName, 'Karoo Accountants');

    const confirmation = await client.get(paid.location ?? '');
    const reference = /AR2026\d{7}/.exec(confirmation.body)?.[0];
    assert.ok(reference);
    const pdf = await client.get(`Certificate.aspx?ref=${reference}`);
    assert.equal(pdf.contentType, 'application/pdf');
    assert.equal(pdf.raw.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.raw.toString('latin1'), /KAROO CRAFTS CC/);

    control.resetFaults();
  });

  it('stops the deregistration process once UBUNTU CARE has filed everything outstanding', async () => {
    await validate('2017/555555/08');
    await client.post('AnnualReturns.aspx', {
      gvReturns$ctl02$txtTurnover: '100000',
      gvReturns$ctl03$txtTurnover: '120000',
      gvReturns$ctl04$txtTurnover: '150000',
      btnCalculate: 'Calculate',
    });
    await client.post('AnnualReturns.aspx', { btnContinue: 'Continue' });
    await client.post('AnnualReturns.aspx', {
      txtRecordsKeeperName: 'A Volunteer',
      txtRecordsKeeperId: '9002025009088',
      txtPreparerName: 'B Bookkeeper',
      txtPreparerId: '8503035009089',
      rblAssurance: 'Independently reviewed',
      btnFasContinue: 'Continue',
    });
    const paid = await client.post('AnnualReturns.aspx', { btnPay: 'Pay from prepaid balance' });
    assert.equal(paid.status, 302);
    assert.equal(control.enterprise('2017/555555/08')?.status, 'In Business');
    assert.deepEqual(control.outstandingYears('2017/555555/08'), []);
    const history = await client.get('History.aspx');
    assert.equal((history.body.match(/2017\/555555\/08/g) ?? []).length, 3);
  });
});
