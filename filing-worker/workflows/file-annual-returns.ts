import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { formatRand } from '../../flows/cipc/format-rand.js';
import type { FilingMilestone, PersonAnswer } from '../../flows/conversation/conversation-event.js';
import {
  type CancelFilingSignal,
  type CaptchaAnswerSignal,
  FILING_PROGRESS_QUERY,
  FILING_SIGNALS,
  type FilingProgress,
  type FilingResult,
  type MarkFiledManuallySignal,
  type OrderToFile,
} from '../../flows/filing/file-annual-returns.js';
import { portalTaskQueueFor } from '../../flows/filing/task-queues.js';
import type { DatabaseActivities, MilestoneInput } from '../activities/create-database-activities.js';
import type {
  CaptchaServiceDownDetails,
  FileAtPortalOutcome,
  PortalActivities,
} from '../activities/create-portal-activities.js';
import type { LoginScreen } from '../portal/login-page.js';

export const retryNow = defineSignal(FILING_SIGNALS.retryNow);
export const captchaAnswer = defineSignal<[CaptchaAnswerSignal]>(FILING_SIGNALS.captchaAnswer);
export const balanceToppedUp = defineSignal(FILING_SIGNALS.balanceToppedUp);
export const markFiledManually = defineSignal<[MarkFiledManuallySignal]>(FILING_SIGNALS.markFiledManually);
export const cancel = defineSignal<[CancelFilingSignal]>(FILING_SIGNALS.cancel);
export const progressQuery = defineQuery<FilingProgress>(FILING_PROGRESS_QUERY);

/** How long a filing waits for a person before it gives up and is escalated as failed. */
const PERSON_WAIT = '3 days';

/**
 * Patch: the owner hears what a person did — `resumed` when a wait is answered, `cancelled` (with the
 * refund note) instead of `failed`, `filedByHand` instead of a `completed` without a certificate.
 */
const PERSON_MILESTONES = 'person-milestones';

/** Ends the filing early: cancelled, filed by hand, given up, or impossible. */
class Finish {
  constructor(
    readonly how: 'cancelled' | 'manual' | 'failed',
    readonly reason: string,
  ) {}
}

const db = proxyActivities<DatabaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['PortalRejected'],
  },
});

/**
 * One paid order, start to certificate: check the register, then one visit to the portal that logs in,
 * files and pays the outstanding years and captures references and certificates. Anything a machine
 * cannot decide (a fee that differs from our quote, a missing BO declaration, too little balance, a
 * captcha service that refuses) waits for a person, who answers with a signal; the next visit logs in
 * again. A cancel signal is honoured between visits, never in the middle of one (it may be paying).
 */
export async function fileAnnualReturns(order: OrderToFile): Promise<FilingResult> {
  const { workflowId, taskQueue } = workflowInfo();
  const portal = proxyActivities<PortalActivities>({
    taskQueue: portalTaskQueueFor(taskQueue),
    startToCloseTimeout: '20 minutes',
    heartbeatTimeout: '30 seconds',
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: 8,
      nonRetryableErrorTypes: ['PortalRejected', 'OrderIncomplete', 'CaptchaServiceDown'],
    },
  });
  const progress: FilingProgress = {
    orderId: order.orderId,
    status: 'running',
    step: 'starting',
    yearsToFile: [],
    skippedYears: [],
    arReferences: [],
  };
  let retryRequested = false;
  let answeredBy: PersonAnswer | undefined;
  let typedCaptcha: string | undefined;
  /** The login screen whose security code 2Captcha would not read: a person's reading is typed into it. */
  let loginScreen: LoginScreen | undefined;
  let manual: MarkFiledManuallySignal | undefined;
  let cancelled: CancelFilingSignal | undefined;
  let waits = 0;
  setHandler(progressQuery, () => progress);
  setHandler(retryNow, () => {
    retryRequested = true;
    answeredBy = 'retry';
  });
  setHandler(balanceToppedUp, () => {
    retryRequested = true;
    answeredBy = 'balanceToppedUp';
  });
  setHandler(captchaAnswer, ({ text }) => {
    typedCaptcha = text;
    retryRequested = true;
    answeredBy = 'captcha';
  });
  setHandler(markFiledManually, (signal) => {
    manual = signal;
  });
  setHandler(cancel, (signal) => {
    cancelled = signal;
  });

  const record = (
    milestone: FilingMilestone,
    key: string,
    extra: Pick<MilestoneInput, 'arReferences' | 'certificatePath'> = {},
  ) =>
    db.recordMilestone({
      orderId: order.orderId,
      conversationId: order.conversationId,
      workflowId,
      dedupeKey: `${workflowId}:${key}`,
      at: new Date().toISOString(),
      milestone,
      status: progress.status,
      ...extra,
    });

  const checkCancelled = () => {
    if (cancelled) throw new Finish('cancelled', `cancelled by ${cancelled.by}: ${cancelled.reason}`);
  };

  /** Tells the customer (once per wait) and operations, then waits for a person's signal. */
  async function waitForPerson(reason: string, kind: 'waitingForPerson' | 'delayed'): Promise<void> {
    waits += 1;
    progress.status = 'waiting_for_person';
    progress.waitingFor = reason;
    retryRequested = false;
    answeredBy = undefined;
    // A reading that arrived again after its wait was over (a repeated signal) is for no screen of this one.
    typedCaptcha = undefined;
    await record({ kind, reason }, `${kind}:${waits}`);
    await db.alertOperations({ orderId: order.orderId, conversationId: order.conversationId, reason });
    const answered = await condition(
      () => retryRequested || manual !== undefined || cancelled !== undefined,
      PERSON_WAIT,
    );
    progress.waitingFor = undefined;
    // A code waiting to be read belongs to the wait it was shown in.
    progress.captchaImagePath = undefined;
    progress.status = 'running';
    retryRequested = false;
    checkCancelled();
    if (manual) throw new Finish('manual', `filed by hand by ${manual.by}`);
    if (!answered) throw new Finish('failed', `no one resolved it within ${PERSON_WAIT}: ${reason}`);
    if (patched(PERSON_MILESTONES)) {
      await record({ kind: 'resumed', by: answeredBy ?? 'retry' }, `resumed:${waits}`);
    }
  }

  /** An activity until it succeeds; when it fails for good, a person decides whether to try again. */
  async function attempt<T>(step: string, run: () => Promise<T>): Promise<T> {
    for (;;) {
      checkCancelled();
      progress.step = step;
      try {
        return await run();
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const cause = err.cause;
        if (cause instanceof ApplicationFailure && cause.type === 'CaptchaServiceDown') {
          const details = cause.details?.[0] as CaptchaServiceDownDetails | undefined;
          progress.captchaImagePath = details?.captchaImagePath;
          loginScreen = details?.loginScreen;
        }
        await waitForPerson(`${step} failed: ${cause?.message ?? err.message}`, 'waitingForPerson');
      }
    }
  }

  async function finish(end: Finish): Promise<FilingResult> {
    if (end.how === 'manual' && manual) {
      progress.status = 'filed';
      progress.arReferences = manual.arReferences;
      await record(
        patched(PERSON_MILESTONES)
          ? { kind: 'filedByHand', arReferences: manual.arReferences }
          : {
              kind: 'completed',
              arReferences: manual.arReferences,
              certificateUrl: '',
              certificateFilename: '',
            },
        'completed',
        { arReferences: manual.arReferences },
      );
      return { status: 'filed', arReferences: manual.arReferences, reason: end.reason };
    }
    progress.status = end.how === 'cancelled' ? 'cancelled' : 'failed';
    progress.step = end.how;
    if (end.how === 'cancelled' && cancelled && patched(PERSON_MILESTONES)) {
      // The reason is for the team; only a refund note is written for the owner.
      await record(
        { kind: 'cancelled', ...(cancelled.refundNote && { refundNote: cancelled.refundNote }) },
        'cancelled',
      );
    } else {
      await record({ kind: 'failed', reason: end.reason }, 'failed');
    }
    if (end.how === 'failed') {
      await db.alertOperations({
        orderId: order.orderId,
        conversationId: order.conversationId,
        reason: end.reason,
      });
    }
    return { status: progress.status, arReferences: progress.arReferences, reason: end.reason };
  }

  try {
    await record({ kind: 'started' }, 'started');

    // What the register shows filed is skipped: a retried or duplicated filing never files a year twice.
    for (;;) {
      const facts = await attempt('checking the register', () =>
        db.searchCompany({ registrationNumber: order.registrationNumber, maxAgeMs: 0 }),
      );
      if (!facts) throw new Finish('failed', `${order.registrationNumber} is not on the CIPC register`);
      if (facts.status === 'deregistered') {
        throw new Finish('failed', `${facts.name} is deregistered: it must be reinstated before it can file`);
      }
      progress.yearsToFile = order.years.filter((y) => !facts.filedYears.includes(y.year)).map((y) => y.year);
      progress.skippedYears = order.years.filter((y) => facts.filedYears.includes(y.year)).map((y) => y.year);
      const withoutBo = progress.yearsToFile.filter(
        (year) => facts.boYear === undefined || facts.boYear < year,
      );
      if (withoutBo.length === 0) break;
      await waitForPerson(
        `no beneficial ownership declaration for ${withoutBo.join(', ')}: it must be filed before the annual return`,
        'waitingForPerson',
      );
    }

    const captured = await fileAtPortal();
    progress.arReferences = captured.filed.map((f) => f.reference);
    for (const filed of captured.filed) {
      if (!progress.yearsToFile.includes(filed.year)) continue;
      await record(
        { kind: 'yearSubmitted', year: filed.year, arReference: filed.reference },
        `yearSubmitted:${filed.year}`,
      );
    }
    progress.status = 'filed';
    progress.step = 'done';
    progress.certificateUrl = captured.certificateUrl;
    await record(
      {
        kind: 'completed',
        arReferences: progress.arReferences,
        certificateUrl: captured.certificateUrl,
        certificateFilename: captured.certificateFilename,
      },
      'completed',
      { arReferences: progress.arReferences, certificatePath: captured.certificatePath },
    );
    return { status: 'filed', arReferences: progress.arReferences, certificateUrl: captured.certificateUrl };
  } catch (err) {
    if (err instanceof Finish) return finish(err);
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() =>
        finish(new Finish('cancelled', 'the workflow was cancelled')),
      );
    }
    throw err;
  }

  /** Visits the portal until the years are filed and captured, waiting for a person whenever a visit asks. */
  async function fileAtPortal(): Promise<Extract<FileAtPortalOutcome, { kind: 'filed' }>> {
    const years = order.years.filter((y) => progress.yearsToFile.includes(y.year));
    // With every year already filed there is nothing to pay, only the references and certificates to fetch.
    const captureYears = years.length > 0 ? progress.yearsToFile : order.years.map((y) => y.year);
    for (;;) {
      const outcome = await attempt('filing at the portal', () =>
        portal.fileAtPortal({
          orderId: order.orderId,
          conversationId: order.conversationId,
          registrationNumber: order.registrationNumber,
          years,
          captureYears,
          captchaAnswer: takeTypedCaptcha(),
        }),
      );
      if (outcome.kind === 'filed') return outcome;
      if (outcome.kind === 'feeMismatch') {
        await waitForPerson(
          `the portal's fee (${formatRand(outcome.portalCents)}) differs from our quote (${formatRand(outcome.quotedCents)})`,
          'waitingForPerson',
        );
      } else if (outcome.kind === 'insufficientBalance') {
        await waitForPerson(`the CIPC prepaid balance is too low: ${outcome.message}`, 'delayed');
      } else {
        await waitForPerson(outcome.reason, 'waitingForPerson');
      }
    }
  }

  /** A person's reading goes with the screen it was read from, once; without that screen it means nothing. */
  function takeTypedCaptcha() {
    const text = typedCaptcha;
    const screen = loginScreen;
    typedCaptcha = undefined;
    loginScreen = undefined;
    return text !== undefined && screen !== undefined ? { text, screen } : undefined;
  }
}
