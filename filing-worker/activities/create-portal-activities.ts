import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/create-database.js';
import { filings } from '../../db/schema.js';
import { sealBytes } from '../../db/seal-bytes.js';
import { representativeTurnoverCents } from '../../flows/filing/representative-turnover.js';
import type { PortalSession } from '../browser/open-portal-session.js';
import {
  type CaptchaReport,
  CaptchaServiceDown,
  type TwoCaptchaClient,
} from '../captcha/two-captcha-client.js';
import { workerMetrics } from '../metrics/worker-metrics.js';
import {
  calculateFees,
  continueAfterFees,
  enterFas,
  type FeeLine,
  payFromBalance,
  totalPayable,
  validateEnterprise,
} from '../portal/annual-returns-page.js';
import type { FiledReturn } from '../portal/confirmation-page.js';
import { openFileAnnualReturns } from '../portal/home-page.js';
import { type LoginScreen, logIn, logOut, type TypedCaptcha } from '../portal/login-page.js';
import {
  PortalRejected,
  PortalServerError,
  PortalUnavailable,
  SessionExpired,
  UnknownScreen,
} from '../portal/portal-errors.js';
import { downloadCertificate, findCertificates } from '../portal/reprint-page.js';
import type { MilestoneInput } from './create-database-activities.js';
import { loadFasEntry, OrderIncomplete } from './load-fas-entry.js';

export interface PortalActivityDeps {
  cipc: { portalUrl: string; customerCode: string; password: string };
  publicBaseUrl: string;
  dataDir: string;
  db: Db;
  encryptionKeys: readonly Buffer[];
  /** A new browser context for one visit (closed by the visit). */
  openSession: (orderId: string) => Promise<PortalSession>;
  captcha: TwoCaptchaClient;
  /** The database activity of the same name: the chat hears "logged in" when it happens. */
  recordMilestone: (input: MilestoneInput) => Promise<void>;
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

export interface FileAtPortalInput {
  orderId: string;
  conversationId: string;
  registrationNumber: string;
  /** Years to file and pay; empty when the register shows them all filed already (capture only). */
  years: YearToPay[];
  /** Years whose AR references and certificates to capture. */
  captureYears: number[];
  /** A person's reading of the security code a previous visit could not get read (captcha service down). */
  captchaAnswer?: TypedCaptcha;
}

export interface CapturedFiling {
  filed: FiledReturn[];
  certificatePath: string;
  certificateUrl: string;
  certificateFilename: string;
}

/** What a visit ends with: filed and captured, or something only a person can resolve (nothing paid). */
export type FileAtPortalOutcome =
  | ({ kind: 'filed' } & CapturedFiling)
  | { kind: 'feeMismatch'; portal: FeeLine[]; quotedCents: number; portalCents: number }
  | { kind: 'insufficientBalance'; message: string }
  | { kind: 'blocked'; reason: string }
  /** A screen the automation does not know: its screenshot and HTML are in the audit trail. */
  | { kind: 'unknownScreen'; reason: string };

/** Details of a `CaptchaServiceDown` failure: what a person needs to read the code and log in later. */
export interface CaptchaServiceDownDetails {
  captchaImagePath: string;
  loginScreen?: LoginScreen;
}

/**
 * The heartbeat detail, read back when the activity is retried: the last step the visit confirmed, and
 * whether the years are known to be filed (then a retry goes straight to capturing).
 */
interface VisitProgress {
  step: string;
  filed: boolean;
}

type FileAndPayOutcome = Exclude<FileAtPortalOutcome, { kind: 'filed' }> | { kind: 'filed' };

/** ASP.NET's error page: the visit tries again in the same session after 1 s, 2 s, 4 s. */
const SERVER_ERROR_RETRIES = 3;
const SERVER_ERROR_BACKOFF_MS = 1_000;
const RELOGINS = 3;
/** Well inside the 30 s heartbeat timeout, so a slow captcha or page never looks like a dead worker. */
const HEARTBEAT_MS = 5_000;

/**
 * Browser activity (PORTAL task queue). One visit holds its browser context from login to capture and
 * always closes it, so a worker never holds more contexts than it runs visits. A visit is safe to run
 * again from the top: it looks at the portal before changing anything and never pays for a year the
 * portal already shows filed.
 */
export function createPortalActivities(deps: PortalActivityDeps) {
  const { cipc } = deps;
  const maintenancePollMs = deps.maintenancePollMs ?? 30_000;
  const maintenanceMaxWaitMs = deps.maintenanceMaxWaitMs ?? 10 * 60_000;

  /** Logs in, with a person's reading of a kept screen first when there is one, else 2Captcha's. */
  async function login(
    session: PortalSession,
    typedCaptcha: TypedCaptcha | undefined,
    keepScreen: (screen: LoginScreen) => void,
  ): Promise<void> {
    const { cancellationSignal } = Context.current();
    await logIn(session.page, {
      portalUrl: cipc.portalUrl,
      customerCode: cipc.customerCode,
      password: cipc.password,
      typedCaptcha,
      onCaptcha: async (screen) => {
        keepScreen(screen);
        await session.audit.saveFile('captcha-latest.png', Buffer.from(screen.captchaPng, 'base64'));
      },
      readCaptcha: async (image, code) => {
        const solved = await deps.captcha.solveImage(image, {
          caseSensitive: code.caseSensitive,
          signal: cancellationSignal,
        });
        // A report 2Captcha did not record costs a refund or some accuracy, never the login: log it.
        const logUnrecorded = (verdict: string, report: CaptchaReport) => {
          if (!report.recorded) {
            deps.logger?.warn(
              { taskId: solved.taskId, reason: report.reason },
              `2Captcha did not record ${verdict}`,
            );
          }
        };
        return {
          text: solved.text,
          wrong: async () =>
            logUnrecorded('reportIncorrect', await deps.captcha.reportIncorrect(solved.taskId)),
          right: async () => logUnrecorded('reportCorrect', await deps.captcha.reportCorrect(solved.taskId)),
        };
      },
    });
  }

  /** The "logged in at CIPC" milestone, stored once per filing (its dedupe key); failing to store it fails nothing. */
  async function announceLogin(input: FileAtPortalInput): Promise<void> {
    const workflowId = Context.current().info.workflowExecution?.workflowId;
    if (!workflowId) return;
    await deps
      .recordMilestone({
        orderId: input.orderId,
        conversationId: input.conversationId,
        workflowId,
        dedupeKey: `${workflowId}:loggedIn`,
        at: new Date().toISOString(),
        milestone: { kind: 'loggedIn' },
        status: 'running',
      })
      .catch((err: unknown) =>
        deps.logger?.warn({ orderId: input.orderId, err }, 'could not record the loggedIn milestone'),
      );
  }

  /** Validate → turnover and fees → BO → FAS → pay, stopping short of paying when anything is off. */
  async function fileAndPay(
    session: PortalSession,
    input: FileAtPortalInput,
    step: (name: string, filed?: boolean) => Promise<void>,
  ): Promise<FileAndPayOutcome> {
    const { page } = session;
    const { balanceCents } = await openFileAnnualReturns(page, cipc.portalUrl);
    if (balanceCents !== undefined) workerMetrics.cipcBalanceCents.set(balanceCents);
    const validated = await validateEnterprise(page, input.registrationNumber);
    await step('validated');
    if (validated.kind === 'refused') {
      if (validated.reason === 'nothingOutstanding') return { kind: 'filed' };
      if (validated.reason === 'other') throw new PortalRejected(validated.message);
      return { kind: 'blocked', reason: validated.message };
    }
    const ours = input.years.filter((y) => validated.years.includes(y.year));
    if (ours.length === 0) return { kind: 'filed' };
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
    const fas = await loadFasEntry(deps.db, input.orderId, deps.encryptionKeys);
    // Audited statements go to CIPC as iXBRL AFS before the return: a person files those, never the robot.
    if (fas.assurance === 'Audited') {
      return {
        kind: 'blocked',
        reason:
          'the financial statements are audited: CIPC needs the iXBRL annual financial statements filed first, which a person does',
      };
    }
    await enterFas(page, fas);
    await step('fas-entered');
    const total = await totalPayable(page);
    if (total !== quotedCents) return { kind: 'feeMismatch', portal: fees, quotedCents, portalCents: total };
    Context.current().heartbeat({ step: 'paying', filed: false } satisfies VisitProgress);
    const paid = await payFromBalance(page);
    if (paid.kind === 'insufficientBalance') {
      await step(paid.kind);
      return paid;
    }
    await step(paid.kind, true);
    return { kind: 'filed' };
  }

  /**
   * The AR references and certificates of these years, from the reprint screen: it answers the same
   * whether the payment's confirmation page was seen or lost with a crashed worker.
   */
  async function capture(
    session: PortalSession,
    input: FileAtPortalInput,
    step: (name: string) => Promise<void>,
  ): Promise<CapturedFiling> {
    const onRecord = await findCertificates(session.page, cipc.portalUrl, input.registrationNumber);
    await step('certificates-found');
    const filed = input.captureYears.map((year) => {
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
  }

  /**
   * The code 2Captcha could not read, where the agent console (another process, maybe another machine)
   * shows it to a person; the screen itself travels back to the workflow with the failure.
   */
  async function keepCaptchaForPerson(orderId: string, screen: LoginScreen): Promise<void> {
    await deps.db
      .update(filings)
      .set({ captchaPngBase64: screen.captchaPng, updatedAt: new Date() })
      .where(eq(filings.orderId, orderId));
  }

  /**
   * Keeps what the unknown screen showed (a screenshot and its HTML, sealed: they may show ID numbers) in
   * the filing's audit trail, so the person who takes over sees exactly what stopped the robot.
   */
  async function keepUnknownScreen(
    session: PortalSession,
    err: UnknownScreen,
    progress: VisitProgress,
  ): Promise<FileAtPortalOutcome> {
    const name = `unknown-screen-${err.step.replace(/[^a-z0-9]+/gi, '-')}`;
    await session.audit.screenshot(session.page, name).catch(() => {});
    const html = await session.page.content().catch(() => '');
    await session.audit
      .saveFile(`${name}.html.sealed`, sealBytes(Buffer.from(html), deps.encryptionKeys))
      .catch(() => {});
    deps.logger?.warn({ step: err.step }, 'the portal showed a screen the automation does not recognise');
    const payment = progress.filed
      ? 'the annual returns were already paid'
      : progress.step === 'paying'
        ? 'it came after the payment was sent: check the portal before trying again'
        : 'the robot stopped before paying anything';
    return {
      kind: 'unknownScreen',
      reason: `${err.message}; ${payment}. A person must look (screenshot and page kept in the audit trail).`,
    };
  }

  function classify(err: unknown, session: PortalSession, loginScreen: LoginScreen | undefined): unknown {
    if (err instanceof CaptchaServiceDown) {
      return ApplicationFailure.create({
        type: 'CaptchaServiceDown',
        message: err.message,
        nonRetryable: true,
        details: [
          {
            captchaImagePath: join(session.audit.dir, 'captcha-latest.png'),
            loginScreen,
          } satisfies CaptchaServiceDownDetails,
        ],
      });
    }
    if (err instanceof PortalRejected || err instanceof OrderIncomplete) {
      return ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true });
    }
    return err;
  }

  return {
    /**
     * One visit to the portal for one filing: log in (2Captcha reads the security code, or a person did),
     * file and pay the years still outstanding, capture references and certificates. Inside the visit it
     * logs in again when the session expires, waits out maintenance and rides out ASP.NET's error page;
     * anything else fails the attempt, and Temporal retries it as a new visit.
     */
    async fileAtPortal(input: FileAtPortalInput): Promise<FileAtPortalOutcome> {
      const context = Context.current();
      const resumed = context.info.heartbeatDetails as VisitProgress | undefined;
      if (resumed?.step === 'paying') {
        deps.logger?.warn(
          { orderId: input.orderId },
          'a payment was not confirmed: checking the portal first',
        );
      }
      let progress: VisitProgress = { step: resumed?.step ?? 'starting', filed: resumed?.filed ?? false };
      const session = await deps.openSession(input.orderId);
      // Cancellation arrives with a heartbeat's answer: drop the browser at once, whatever it is doing.
      const abort = () => void session.context.close().catch(() => {});
      context.cancellationSignal.addEventListener('abort', abort, { once: true });
      const alive = setInterval(() => context.heartbeat(progress), HEARTBEAT_MS);
      const step = async (name: string, filed = progress.filed) => {
        progress = { step: name, filed };
        context.heartbeat(progress);
        await session.audit.screenshot(session.page, name).catch(() => {});
      };
      let loggedIn = false;
      let typedCaptcha = input.captchaAnswer;
      let loginScreen: LoginScreen | undefined;
      const started = Date.now();
      let relogins = 0;
      let serverErrors = 0;
      try {
        for (;;) {
          try {
            if (!loggedIn) {
              const typed = typedCaptcha;
              typedCaptcha = undefined;
              await login(session, typed, (screen) => {
                loginScreen = screen;
              });
              loggedIn = true;
              await step('logged-in');
              await announceLogin(input);
            }
            if (input.years.length > 0 && !progress.filed) {
              const outcome = await fileAndPay(session, input, step);
              if (outcome.kind !== 'filed') return outcome;
              progress = { ...progress, filed: true };
            }
            return { kind: 'filed', ...(await capture(session, input, step)) };
          } catch (err) {
            if (context.cancellationSignal.aborted) throw err;
            workerMetrics.portalErrors.inc({ step: progress.step, error: (err as Error)?.name ?? 'unknown' });
            if (err instanceof SessionExpired && relogins < RELOGINS) {
              relogins += 1;
              loggedIn = false;
              deps.logger?.warn(
                { orderId: input.orderId, err: err.message },
                'portal session expired: logging in again',
              );
              continue;
            }
            if (err instanceof PortalUnavailable && Date.now() - started < maintenanceMaxWaitMs) {
              context.heartbeat({ ...progress, step: 'waiting for maintenance to end' });
              await context.sleep(maintenancePollMs);
              continue;
            }
            if (err instanceof PortalServerError && serverErrors < SERVER_ERROR_RETRIES) {
              await context.sleep(SERVER_ERROR_BACKOFF_MS * 2 ** serverErrors);
              serverErrors += 1;
              continue;
            }
            if (err instanceof UnknownScreen) return await keepUnknownScreen(session, err, progress);
            if (err instanceof CaptchaServiceDown && loginScreen) {
              await keepCaptchaForPerson(input.orderId, loginScreen);
            }
            throw classify(err, session, loginScreen);
          }
        }
      } finally {
        clearInterval(alive);
        context.cancellationSignal.removeEventListener('abort', abort);
        // The portal session ends with the visit, so nothing kept about it (a login screen) can be used later.
        if (loggedIn && !context.cancellationSignal.aborted) {
          await logOut(session.page, cipc.portalUrl).catch(() => {});
        }
        await session.close();
      }
    },
  };
}
export type PortalActivities = ReturnType<typeof createPortalActivities>;
