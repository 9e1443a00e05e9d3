import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomCaptchaText, renderCaptcha } from './captcha/render-captcha.js';
import { PageTokens } from './page-tokens.js';
import type { PortalState } from './portal-state.js';
import { sastDate } from './rules/sast-date.js';
import { CUSTOMER_VERIFICATION, PASSWORD_RESET, type PortalInterruption } from './screens/interruptions.js';
import { type Session, SessionStore } from './session-store.js';
import { webFormsPage } from './web-forms-page.js';

export interface PortalFaults {
  /** Added to every response. */
  latencyMs: number;
  /** Share of requests (0..1) answered with a 500 "Server Error" page. */
  serverErrorRate: number;
  /** Epoch ms until which every page shows the maintenance notice (Infinity = until switched off). */
  maintenanceUntil: number;
  /** The next N logins are told the security code is wrong even when it is right. */
  captchaRejections: number;
  /** Delay after the payment is committed and before the confirmation is answered. */
  confirmationDelayMs: number;
  /** Added to each year's calculated fee, to prove a worker compares the portal's fee with its quote. */
  feeDriftCents: number;
  /** A logged-in session times out after this many more authenticated requests. */
  sessionExpiresAfterRequests: number | undefined;
  sessionTimeoutMs: number;
  /** A screen the real portal can show that the filing path does not include (see screens/interruptions.ts). */
  interruption: PortalInterruption | undefined;
  /** Control ids/names rendered under another name (a redesigned page): `{ txtSearchCIPC: 'txtSearch' }`. */
  renamedControls: Readonly<Record<string, string>>;
}

export const NO_FAULTS: PortalFaults = {
  latencyMs: 0,
  serverErrorRate: 0,
  maintenanceUntil: 0,
  captchaRejections: 0,
  confirmationDelayMs: 0,
  feeDriftCents: 0,
  sessionExpiresAfterRequests: undefined,
  sessionTimeoutMs: 20 * 60_000,
  interruption: undefined,
  renamedControls: {},
};

const COOKIE = 'ASP.NET_SessionId';
const CAPTCHA_MEMORY = 1000;

export type FormBody = Record<string, string>;

/** Everything the screens share: state, sessions, faults, clock, captchas and the page shell. */
export class PortalContext {
  readonly sessions: SessionStore;
  readonly tokens = new PageTokens();
  private readonly captchaAnswers = new Map<string, string>();

  constructor(
    readonly state: PortalState,
    readonly faults: PortalFaults,
    private readonly clock: () => Date,
    readonly random: () => number,
    private readonly cookiePath: () => string,
  ) {
    this.sessions = new SessionStore(() => faults.sessionTimeoutMs);
  }

  today(): string {
    return sastDate(this.clock());
  }

  captchaAnswerFor(image: Buffer): string | undefined {
    return this.captchaAnswers.get(createHash('sha256').update(image).digest('hex'));
  }

  newCaptcha(session: Session): void {
    const text = randomCaptchaText(this.random);
    const png = renderCaptcha(text, this.random);
    session.captcha = { text, png };
    this.captchaAnswers.set(createHash('sha256').update(png).digest('hex'), text);
    if (this.captchaAnswers.size > CAPTCHA_MEMORY) {
      const oldest = this.captchaAnswers.keys().next().value;
      if (oldest !== undefined) this.captchaAnswers.delete(oldest);
    }
  }

  /** The visitor's session, created (with its cookie) when absent or timed out. */
  session(
    request: FastifyRequest,
    reply: FastifyReply,
  ): { session: Session; expired: boolean; fresh: boolean } {
    const found = this.sessions.find(readCookie(request.headers.cookie, COOKIE));
    if (found.session) return { session: found.session, expired: false, fresh: false };
    const session = this.sessions.create();
    reply.header('set-cookie', `${COOKIE}=${session.id}; Path=${this.cookiePath()}; HttpOnly; SameSite=Lax`);
    return { session, expired: found.expired, fresh: true };
  }

  /** The logged-in session, or a redirect to the login page (with the expiry message when it timed out). */
  customerSession(request: FastifyRequest, reply: FastifyReply): Session | undefined {
    const { session, expired } = this.session(request, reply);
    if (session.customerCode && session.requestsLeft !== undefined) {
      session.requestsLeft -= 1;
      if (session.requestsLeft < 0) {
        this.sessions.expire(session.id);
        void reply.redirect('Login.aspx?expired=1');
        return undefined;
      }
    }
    const forced =
      this.faults.interruption === 'customerVerification'
        ? CUSTOMER_VERIFICATION
        : this.faults.interruption === 'passwordReset'
          ? PASSWORD_RESET
          : undefined;
    // Like the real portal, a logged-in customer who must verify or change the password sees only that.
    if (session.customerCode && forced) {
      void this.render(reply, session, 'Home.aspx', forced.title, forced.body);
      return undefined;
    }
    if (session.customerCode) return session;
    void reply.redirect(expired ? 'Login.aspx?expired=1' : 'Login.aspx');
    return undefined;
  }

  isValidPostback(session: Session, page: string, body: FormBody): boolean {
    return this.tokens.isValid(session.id, page, body.__EVENTVALIDATION);
  }

  render(
    reply: FastifyReply,
    session: Session,
    page: string,
    title: string,
    body: string,
    status = 200,
  ): FastifyReply {
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        webFormsPage({
          title,
          page,
          viewState: this.tokens.viewState(page, session.wizard.step),
          eventValidation: this.tokens.eventValidation(session.id, page),
          customerCode: session.customerCode,
          body: Object.entries(this.faults.renamedControls).reduce(
            (html, [from, to]) => html.replaceAll(from, to),
            body,
          ),
        }),
      );
  }

  /** ASP.NET's answer to a postback whose event validation does not match (stale page, foreign form). */
  invalidPostback(reply: FastifyReply): FastifyReply {
    return reply
      .status(500)
      .type('text/html; charset=utf-8')
      .send(
        "<!DOCTYPE html><html><head><title>Invalid postback or callback argument</title></head><body><h1>Server Error in '/' Application.</h1><h2><i>Invalid postback or callback argument.</i></h2></body></html>",
      );
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** A posted control's value as typed (passwords are not trimmed). */
export function rawField(body: FormBody, id: string): string {
  return body[`ctl00$cntMain$${id}`] ?? '';
}

export function field(body: FormBody, id: string): string {
  return rawField(body, id).trim();
}

export function pressed(body: FormBody, id: string): boolean {
  return body[`ctl00$cntMain$${id}`] !== undefined;
}
