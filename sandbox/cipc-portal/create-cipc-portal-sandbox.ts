import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsync } from 'fastify';
import { NO_FAULTS, PortalContext, type PortalFaults } from './portal-context.js';
import {
  type Customer,
  type Enterprise,
  type EnterpriseSeed,
  type Filing,
  PortalState,
} from './portal-state.js';
import type { OutstandingYear } from './rules/outstanding-years.js';
import { registerAnnualReturns } from './screens/annual-returns.js';
import { registerArCalculator } from './screens/ar-calculator.js';
import { registerCertificates } from './screens/certificates.js';
import { registerHome } from './screens/home.js';
import type { PortalInterruption } from './screens/interruptions.js';
import { registerLogin } from './screens/login.js';
import { registerSearch } from './screens/search.js';
import { seedEnterprises } from './seed-enterprises.js';

export interface CipcPortalSandboxOptions {
  /** The portal's clock (filing windows, late fees, filing dates). Defaults to the real time. */
  today?: () => Date;
  /** The register to start with; defaults to the built-in 33 enterprises (README.md). */
  seed?: readonly EnterpriseSeed[];
  /** Customer codes; defaults to SANDBOX1 / Sandbox#2026 with R50 000. */
  customers?: readonly Customer[];
  /** Randomness for captchas and the 5xx fault; inject for repeatable runs. */
  random?: () => number;
  sessionTimeoutMs?: number;
}

export interface FilingRecord extends Filing {
  /** How many payments the ledger holds for this enterprise and year: 1 for a correct filing. */
  paidCount: number;
}

export interface CipcPortalControl {
  enterprise(number: string): Enterprise | undefined;
  enterprises(): Enterprise[];
  outstandingYears(number: string): OutstandingYear[];
  filings(number?: string): FilingRecord[];
  balance(customerCode: string): number | undefined;
  setBalance(customerCode: string, cents: number): void;
  upsertEnterprise(seed: EnterpriseSeed): Enterprise;
  updateEnterprise(number: string, patch: Partial<Omit<Enterprise, 'number' | 'type'>>): Enterprise;
  faults(): PortalFaults;
  setFaults(patch: Partial<PortalFaults>): void;
  resetFaults(): void;
  /** Maintenance page on (for `forMs`, or until switched off) or off. */
  setMaintenance(on: boolean, forMs?: number): void;
  /** Every current session times out: the next page a logged-in user opens sends them to login. */
  expireSessions(): void;
  /** The next `times` logins are told the security code is wrong even when it is right. */
  rejectCaptcha(times: number): void;
  /** Renders control ids and names with `from` replaced by `to` (a redesigned page, for the drift canary). */
  renameControl(from: string, to: string): void;
  /** Shows a screen the filing path does not include (until `interrupt(undefined)` or `resetFaults`). */
  interrupt(screen: PortalInterruption | undefined): void;
  /** The text of a security code image this portal served, looked up by the exact bytes. */
  captchaAnswerFor(imageBytes: Buffer): string | undefined;
}

export const SANDBOX_CUSTOMER: Customer = {
  code: 'SANDBOX1',
  password: 'Sandbox#2026',
  balanceCents: 50_000_00,
  email: 'filings@sandbox.example',
};

const MAINTENANCE_PAGE = `<!DOCTYPE html><html><head><title>CIPC e-Services - Maintenance</title></head><body>
<h1>Scheduled maintenance</h1><p id="maintenance">The CIPC e-Services website is currently unavailable due to scheduled maintenance. Please try again later.</p></body></html>`;
const SERVER_ERROR_PAGE = `<!DOCTYPE html><html><head><title>Runtime Error</title></head><body>
<h1>Server Error in '/' Application.</h1><h2><i>Runtime Error</i></h2></body></html>`;

/** A stand-in for the CIPC e-Services portal, mountable at any prefix. */
export function createCipcPortalSandbox(options: CipcPortalSandboxOptions = {}): {
  plugin: FastifyPluginAsync;
  control: CipcPortalControl;
} {
  const clock = options.today ?? (() => new Date());
  const random = options.random ?? Math.random;
  const state = new PortalState(
    options.seed ?? seedEnterprises(clock().getUTCFullYear()),
    options.customers ?? [SANDBOX_CUSTOMER],
  );
  const faults: PortalFaults = {
    ...NO_FAULTS,
    sessionTimeoutMs: options.sessionTimeoutMs ?? NO_FAULTS.sessionTimeoutMs,
  };
  let prefix = '/';
  const portal = new PortalContext(state, faults, clock, random, () => prefix);

  const plugin: FastifyPluginAsync = async (app) => {
    prefix = app.prefix || '/';
    if (app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      app.removeContentTypeParser('application/x-www-form-urlencoded');
    }
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    app.addHook('onRequest', async (_request, reply) => {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      if (Date.now() < faults.maintenanceUntil) {
        return reply
          .status(503)
          .header('retry-after', '600')
          .type('text/html; charset=utf-8')
          .send(MAINTENANCE_PAGE);
      }
      if (faults.serverErrorRate > 0 && random() < faults.serverErrorRate) {
        return reply.status(500).type('text/html; charset=utf-8').send(SERVER_ERROR_PAGE);
      }
    });
    const home = `${prefix.replace(/\/$/, '')}/Login.aspx`;
    app.get('/', async (_request, reply) => reply.redirect(home));
    app.get('/Default.aspx', async (_request, reply) => reply.redirect('Login.aspx'));
    registerSearch(app, portal);
    registerArCalculator(app, portal);
    registerLogin(app, portal);
    registerHome(app, portal);
    registerAnnualReturns(app, portal);
    registerCertificates(app, portal);
  };

  const control: CipcPortalControl = {
    enterprise: (number) => state.enterprise(number),
    enterprises: () => state.allEnterprises(),
    outstandingYears: (number) => state.outstanding(number, portal.today()),
    filings: (number) =>
      (number === undefined ? state.allFilings() : state.filingsOf(number)).map((f) => ({
        ...f,
        paidCount: state.paymentsFor(f.enterpriseNumber, f.year).length,
      })),
    balance: (code) => state.customer(code)?.balanceCents,
    setBalance: (code, cents) => state.setBalance(code, cents),
    upsertEnterprise: (seed) => state.upsertEnterprise(seed),
    updateEnterprise: (number, patch) => state.updateEnterprise(number, patch),
    faults: () => ({ ...faults }),
    setFaults: (patch) => {
      Object.assign(faults, patch);
    },
    resetFaults: () => {
      Object.assign(faults, NO_FAULTS, {
        sessionTimeoutMs: options.sessionTimeoutMs ?? NO_FAULTS.sessionTimeoutMs,
      });
    },
    setMaintenance: (on, forMs) => {
      faults.maintenanceUntil = on
        ? forMs === undefined
          ? Number.POSITIVE_INFINITY
          : Date.now() + forMs
        : 0;
    },
    expireSessions: () => portal.sessions.expireAll(),
    rejectCaptcha: (times) => {
      faults.captchaRejections = times;
    },
    renameControl: (from, to) => {
      faults.renamedControls = { ...faults.renamedControls, [from]: to };
    },
    interrupt: (screen) => {
      faults.interruption = screen;
    },
    captchaAnswerFor: (imageBytes) => portal.captchaAnswerFor(imageBytes),
  };
  return { plugin, control };
}
