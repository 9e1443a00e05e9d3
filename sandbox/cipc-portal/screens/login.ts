import type { FastifyInstance } from 'fastify';
import { button, checkBox, errorLabel, infoLabel, textBox } from '../controls.js';
import { type FormBody, field, type PortalContext, pressed, rawField } from '../portal-context.js';
import type { Session } from '../session-store.js';

const PAGE = 'Login.aspx';
export const SESSION_EXPIRED = 'Your session has expired. Please log in again.';
export const WRONG_SECURITY_CODE = 'The security code you entered is incorrect. Please try again.';
export const WRONG_CREDENTIALS =
  'Invalid customer code or password. Please note that the password is case sensitive.';
export const TERMS_NOT_ACCEPTED = 'You must accept the terms and conditions to log in.';

function form(customerCode: string, error?: string, info?: string): string {
  return `${infoLabel(info)}${errorLabel(error)}
${textBox('txtCustomerCode', 'Customer code', { value: customerCode })}
${textBox('txtPassword', 'Password', { type: 'password' })}
<div class="field"><img id="cntMain_imgCaptcha" src="CaptchaImage.aspx?v=${Date.now().toString(36)}" alt="Security code image" /></div>
${textBox('txtCaptcha', 'Security code')}
${checkBox('chkTerms', 'I accept the terms and conditions')}
${button('btnLogin', 'Login')}`;
}

/** Customer login with the image security code, the security code image itself, and logout. */
export function registerLogin(app: FastifyInstance, portal: PortalContext): void {
  const show = (
    reply: Parameters<PortalContext['render']>[0],
    session: Session,
    code: string,
    error?: string,
    info?: string,
  ) => {
    portal.newCaptcha(session);
    return portal.render(reply, session, PAGE, 'Customer Login', form(code, error, info));
  };

  app.get<{ Querystring: { expired?: string } }>(`/${PAGE}`, async (request, reply) => {
    const { session } = portal.session(request, reply);
    return show(reply, session, '', undefined, request.query.expired ? SESSION_EXPIRED : undefined);
  });

  app.post<{ Body: FormBody }>(`/${PAGE}`, async (request, reply) => {
    const { session, fresh } = portal.session(request, reply);
    const code = field(request.body, 'txtCustomerCode');
    if (fresh) return show(reply, session, code, SESSION_EXPIRED);
    if (!portal.isValidPostback(session, PAGE, request.body)) return portal.invalidPostback(reply);
    if (!pressed(request.body, 'chkTerms')) return show(reply, session, code, TERMS_NOT_ACCEPTED);
    // The real login compares the security code's case (CIPC's login page: "case sensitive").
    const typed = field(request.body, 'txtCaptcha');
    const captchaRight = session.captcha !== undefined && typed === session.captcha.text;
    if (captchaRight && portal.faults.captchaRejections > 0) {
      portal.faults.captchaRejections -= 1;
      return show(reply, session, code, WRONG_SECURITY_CODE);
    }
    if (!captchaRight) return show(reply, session, code, WRONG_SECURITY_CODE);
    const customer = portal.state.customer(code);
    const password = rawField(request.body, 'txtPassword');
    if (!customer || customer.password !== password) return show(reply, session, code, WRONG_CREDENTIALS);
    session.customerCode = customer.code;
    session.captcha = undefined;
    session.wizard = { step: 'enterprise' };
    session.requestsLeft = portal.faults.sessionExpiresAfterRequests;
    return reply.redirect('Home.aspx');
  });

  app.get(`/CaptchaImage.aspx`, async (request, reply) => {
    const { session } = portal.session(request, reply);
    if (!session.captcha) portal.newCaptcha(session);
    return reply.type('image/png').header('cache-control', 'no-cache, no-store').send(session.captcha?.png);
  });

  app.get('/Logout.aspx', async (request, reply) => {
    const { session } = portal.session(request, reply);
    session.customerCode = undefined;
    session.wizard = { step: 'enterprise' };
    return reply.redirect('Login.aspx');
  });
}
