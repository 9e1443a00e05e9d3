import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { Db } from '../../db/create-database.js';
import { representativeTurnoverCents } from '../../flows/filing/representative-turnover.js';
import type { PortalSession, PortalSessions } from '../browser/portal-sessions.js';
import { CaptchaServiceDown, type TwoCaptchaClient } from '../captcha/two-captcha-client.js';
import {
  calculateFees,
  continueAfterFees,
  enterFas,
  type FeeLine,
  payFromBalance,
  totalPayable,
  validateEnterprise,
} from '../portal/annual-returns-page.js';
import { type FiledReturn, readFiledReturns } from '../portal/confirmation-page.js';
import { openFileAnnualReturns } from '../portal/home-page.js';
import { logIn } from '../portal/login-page.js';
import { PortalRejected, PortalUnavailable, SessionExpired } from '../portal/portal-errors.js';
import { downloadCertificate, findCertificates } from '../portal/reprint-page.js';
import { loadFasEntry, OrderIncomplete } from './load-fas-entry.js';

export interface PortalActivityDeps {
  cipc: { portalUrl: string; customerCode: string; password: string };
  publicBaseUrl: string;
  dataDir: string;
  db: Db;
  encryptionKeys: readonly Buffer[];
  sessions: PortalSessions;
  captcha: TwoCaptchaClient;
  logger?: Logger;
  /** While the portal shows its maintenance page, look again this often, for at most maintenanceMaxWaitMs. */
  maintenancePollMs?: number;
  maintenanceMaxWaitMs?: number;
}

export interface YearToPay {
  year: number;
  turnoverBandId: string;
  feeCents: number;
}

export interface FileAndPayInput {
  orderId: string;
  registrationNumber: string;
  years: YearToPay[];
}

export type FileAndPayOutcome =
  | { kind: 'paid'; filed: FiledReturn[] }
  /** None of these years is outstanding any more: paid by an earlier attempt, or filed meanwhile. */
  | { kind: 'alreadyFiled' }
  | { kind: 'feeMismatch'; portal: FeeLine[]; quotedCents: number; portalCents: number }
  | { kind: 'insufficientBalance'; message: string }
  | { kind: 'blocked'; reason: string };

export interface CapturedFiling {
  filed: FiledReturn[];
  certificatePath: string;
  certificateUrl: string;
  certificateFilename: string;
}

/** The heartbeat detail: the last step this activity confirmed, read back when it is retried. */
interface Progress {
  step: string;
}

/**
 * Browser activities (PORTAL task queue). Each is safe to run again from the top: it logs in when the
 * session is gone, looks at the portal before changing anything, and never pays for a year the portal
 * already shows filed.
 */
export function createPortalActivities(deps: PortalActivityDeps) {
  const { cipc, sessions } = deps;
  const maintenancePollMs = deps.maintenancePollMs ?? 30_000;
  const maintenanceMaxWaitMs = deps.maintenanceMaxWaitMs ?? 10 * 60_000;

  async function login(session: PortalSession, typedCaptcha?: string): Promise<void> {
    const { cancellationSignal } = Context.current();
    await logIn(session.page, {
      portalUrl: cipc.portalUrl,
      customerCode: cipc.customerCode,
      password: cipc.password,
      typedCaptcha,
      onCaptcha: async (image) => {
        await session.audit.saveFile('captcha-latest.png', image);
      },
      readCaptcha: async (image) => {
        const solved = await deps.captcha.solveImage(image, cancellationSignal);
        return {
          text: solved.text,
          wrong: () => deps.captcha.reportIncorrect(solved.taskId),
          right: () => deps.captcha.reportCorrect(solved.taskId),
        };
      },
    });
    session.loggedIn = true;
    await session.audit.screenshot(session.page, 'logged-in');
  }

  /** Runs one step with a logged-in session: re-login on expiry, wait out maintenance, classify errors. */
  async function withSession<T>(
    orderId: string,
    work: (session: PortalSession, step: (name: string) => Promise<void>) => Promise<T>,
    typedCaptcha?: string,
  ): Promise<T> {
    const context = Context.current();
    const abort = () => sessions.discard(orderId);
    context.cancellationSignal.addEventListener('abort', abort, { once: true });
    const started = Date.now();
    let relogins = 0;
    try {
      for (;;) {
        const session = await sessions.get(orderId);
        const step = async (name: string) => {
          context.heartbeat({ step: name } satisfies Progress);
          await session.audit.screenshot(session.page, name).catch(() => {});
        };
        try {
          if (!session.loggedIn) await login(session, typedCaptcha);
          return await work(session, step);
        } catch (err) {
          if (context.cancellationSignal.aborted) throw err;
          if (err instanceof SessionExpired && relogins < 3) {
            relogins += 1;
            session.loggedIn = false;
            deps.logger?.warn({ orderId, err: err.message }, 'portal session expired: logging in again');
            continue;
          }
          if (err instanceof PortalUnavailable && Date.now() - started < maintenanceMaxWaitMs) {
            context.heartbeat({ step: 'waiting for maintenance to end' } satisfies Progress);
            await context.sleep(maintenancePollMs);
            continue;
          }
          throw classify(err, session);
        }
      }
    } finally {
      context.cancellationSignal.removeEventListener('abort', abort);
    }
  }

  function classify(err: unknown, session: PortalSession): unknown {
    if (err instanceof CaptchaServiceDown) {
      return ApplicationFailure.create({
        type: 'CaptchaServiceDown',
        message: err.message,
        nonRetryable: true,
        details: [{ captchaImagePath: join(session.audit.dir, 'captcha-latest.png') }],
      });
    }
    if (err instanceof PortalRejected || err instanceof OrderIncomplete) {
      return ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true });
    }
    return err;
  }

  return {
    /** Logs in (2Captcha reads the security code, or a person did: `captchaAnswer`). */
    async logInToPortal(input: { orderId: string; captchaAnswer?: string }): Promise<void> {
      await withSession(input.orderId, async () => {}, input.captchaAnswer);
    },

    /** Validate → turnover and fees → BO → FAS → pay, stopping short of paying when anything is off. */
    async fileAndPay(input: FileAndPayInput): Promise<FileAndPayOutcome> {
      const previous = Context.current().info.heartbeatDetails as Progress | undefined;
      if (previous?.step === 'paying') {
        deps.logger?.warn(
          { orderId: input.orderId },
          'a payment was not confirmed: checking the portal first',
        );
      }
      return withSession(input.orderId, async (session, step) => {
        const { page } = session;
        await openFileAnnualReturns(page, cipc.portalUrl);
        const validated = await validateEnterprise(page, input.registrationNumber);
        await step('validated');
        if (validated.kind === 'refused') {
          if (validated.reason === 'nothingOutstanding') return { kind: 'alreadyFiled' };
          if (validated.reason === 'other') throw new PortalRejected(validated.message);
          return { kind: 'blocked', reason: validated.message };
        }
        const ours = input.years.filter((y) => validated.years.includes(y.year));
        if (ours.length === 0) return { kind: 'alreadyFiled' };
        const extra = validated.years.filter((year) => !input.years.some((y) => y.year === year));
        if (extra.length > 0) {
          return {
            kind: 'blocked',
            reason: `the portal also lists ${extra.join(', ')} as outstanding, which this order does not cover`,
          };
        }
        const fees = await calculateFees(
          page,
          new Map(ours.map((y) => [y.year, representativeTurnoverCents(y.turnoverBandId)])),
        );
        await step('fees-calculated');
        const quotedCents = ours.reduce((sum, y) => sum + y.feeCents, 0);
        const portalCents = fees.reduce((sum, line) => sum + line.feeCents, 0);
        const differs = ours.some((y) => fees.find((line) => line.year === y.year)?.feeCents !== y.feeCents);
        if (differs || portalCents !== quotedCents) {
          return { kind: 'feeMismatch', portal: fees, quotedCents, portalCents };
        }
        const bo = await continueAfterFees(page);
        if (bo.blocked) return { kind: 'blocked', reason: bo.blocked };
        await step('beneficial-ownership-ok');
        await enterFas(page, await loadFasEntry(deps.db, input.orderId, deps.encryptionKeys));
        await step('fas-entered');
        const total = await totalPayable(page);
        if (total !== quotedCents)
          return { kind: 'feeMismatch', portal: fees, quotedCents, portalCents: total };
        Context.current().heartbeat({ step: 'paying' } satisfies Progress);
        const paid = await payFromBalance(page);
        await step(paid.kind);
        if (paid.kind === 'insufficientBalance') return paid;
        if (paid.kind === 'alreadyFiled') return { kind: 'alreadyFiled' };
        return { kind: 'paid', filed: await readFiledReturns(page) };
      });
    },

    /**
     * The AR references and certificates of these years, from the reprint screen: it answers the same
     * whether the payment's confirmation page was seen or lost with a crashed worker.
     */
    async captureFiling(input: {
      orderId: string;
      registrationNumber: string;
      years: number[];
    }): Promise<CapturedFiling> {
      return withSession(input.orderId, async (session, step) => {
        const onRecord = await findCertificates(session.page, cipc.portalUrl, input.registrationNumber);
        await step('certificates-found');
        const filed = input.years.map((year) => {
          const found = onRecord.find((f) => f.year === year);
          if (!found) throw new Error(`the portal does not show ${year} filed yet`);
          return found;
        });
        const dir = join(deps.dataDir, 'certificates');
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const latest = filed.reduce((a, b) => (b.year > a.year ? b : a));
        for (const { year } of filed) {
          const pdf = await downloadCertificate(session.page, year);
          await writeFile(join(dir, `${input.orderId}-${year}.pdf`), pdf, { mode: 0o600 });
        }
        const certificatePath = join(dir, `${input.orderId}.pdf`);
        await copyFile(join(dir, `${input.orderId}-${latest.year}.pdf`), certificatePath);
        await chmod(certificatePath, 0o600);
        return {
          filed,
          certificatePath,
          certificateUrl: `${deps.publicBaseUrl}/files/certificates/${input.orderId}.pdf`,
          certificateFilename: `AR-Certificate-${latest.reference}.pdf`,
        };
      });
    },

    /** Ends the filing's browser session on this worker (its trace is written to the audit trail). */
    async closePortalSession(input: { orderId: string }): Promise<void> {
      await sessions.close(input.orderId);
    },
  };
}
export type PortalActivities = ReturnType<typeof createPortalActivities>;
