import { setTimeout as sleep } from 'node:timers/promises';
import { workerMetrics } from '../metrics/worker-metrics.js';

export interface TwoCaptchaOptions {
  apiUrl: string;
  apiKey: string;
  /** Between getTaskResult polls; 2Captcha asks for 5 s. */
  pollIntervalMs?: number;
  /** Give up on one task after this long (the portal's captcha will have gone stale). */
  taskTimeoutMs?: number;
  /** First wait after ERROR_NO_SLOT_AVAILABLE (2Captcha asks for 5 s); doubles on each further one. */
  noSlotBackoffMs?: number;
  /** createTask calls in all while no slot is free; the last one is not followed by a wait. */
  noSlotAttempts?: number;
  /** One API call gives up after this long, so a hung connection cannot hold a login. */
  requestTimeoutMs?: number;
  /** A report gives up after this long: it is feedback to 2Captcha, never worth holding a filing for. */
  reportTimeoutMs?: number;
}

export interface SolveImageOptions {
  /**
   * Ask 2Captcha's workers to keep the letters' case (`case: true`); without it they type in any case.
   * Defaults to true: a reading in the right case passes a check that ignores case too.
   */
  caseSensitive?: boolean;
  signal?: AbortSignal;
}

export interface SolvedCaptcha {
  taskId: number;
  text: string;
}

/** What became of a report: 2Captcha recorded it, or why not (its error, a timeout, no answer). */
export type CaptchaReport = { recorded: true } | { recorded: false; reason: string };

/**
 * The account cannot solve anything until a person acts (zero balance, unknown key, an address 2Captcha
 * will not serve): stop and alert.
 */
export class CaptchaServiceDown extends Error {
  constructor(readonly code: string) {
    super(`2Captcha refused the task: ${code}`);
    this.name = 'CaptchaServiceDown';
  }
}

/** 2Captcha had no free worker however often it was asked: try the whole visit again later. */
export class CaptchaServiceBusy extends Error {
  constructor(readonly attempts: number) {
    super(`2Captcha had no free worker in ${attempts} attempts (ERROR_NO_SLOT_AVAILABLE)`);
    this.name = 'CaptchaServiceBusy';
  }
}

/** This image could not be read: fetch a fresh captcha and try again. */
export class CaptchaUnsolvable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CaptchaUnsolvable';
  }
}

interface ApiAnswer {
  errorId: number;
  errorCode?: string;
  errorDescription?: string;
  taskId?: number;
  status?: string;
  solution?: { text?: string };
  /** USD, as a decimal string ("0.00299"), on a ready task. */
  cost?: string;
  balance?: number;
}

/** https://2captcha.com/api-docs/error-codes: the ones no retry can mend. */
const STOP_CODES = new Set([
  'ERROR_ZERO_BALANCE',
  'ERROR_KEY_DOES_NOT_EXIST',
  'ERROR_IP_NOT_ALLOWED',
  'ERROR_IP_BLOCKED',
]);

/** 2Captcha's JSON API (api/v2) for image captchas: solve, say whether the answer was right, and the balance. */
export function createTwoCaptchaClient(options: TwoCaptchaOptions) {
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const taskTimeoutMs = options.taskTimeoutMs ?? 180_000;
  const noSlotBackoffMs = options.noSlotBackoffMs ?? 5_000;
  const noSlotAttempts = options.noSlotAttempts ?? 6;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const reportTimeoutMs = options.reportTimeoutMs ?? 10_000;

  async function call(method: string, body: Record<string, unknown>, signal?: AbortSignal) {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    const response = await fetch(`${options.apiUrl.replace(/\/$/, '')}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientKey: options.apiKey, ...body }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok) throw new Error(`2Captcha ${method} answered HTTP ${response.status}`);
    return (await response.json()) as ApiAnswer;
  }

  function failure(answer: ApiAnswer): Error {
    const code = answer.errorCode ?? `errorId ${answer.errorId}`;
    if (STOP_CODES.has(code)) return new CaptchaServiceDown(code);
    if (code === 'ERROR_CAPTCHA_UNSOLVABLE') return new CaptchaUnsolvable(code);
    return new Error(`2Captcha error ${code}`);
  }

  /** createTask, waiting out ERROR_NO_SLOT_AVAILABLE a bounded number of times. */
  async function createTask(task: Record<string, unknown>, signal?: AbortSignal): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      const created = await call('createTask', { task }, signal);
      if (created.errorCode !== 'ERROR_NO_SLOT_AVAILABLE') {
        if (created.errorId !== 0 || created.taskId === undefined) throw failure(created);
        return created.taskId;
      }
      if (attempt >= noSlotAttempts) throw new CaptchaServiceBusy(attempt);
      workerMetrics.captchaNoSlotRetries.inc();
      await sleep(noSlotBackoffMs * 2 ** (attempt - 1), undefined, { signal });
    }
  }

  /**
   * reportCorrect / reportIncorrect. 2Captcha may refuse a report (ERROR_REPORT_NOT_RECORDED when the
   * account complains too often or the captcha is older than 15 minutes): that is said in the answer,
   * never thrown, so a report can never fail the login it is about.
   */
  async function report(method: 'reportCorrect' | 'reportIncorrect', taskId: number): Promise<CaptchaReport> {
    try {
      const answer = await call(method, { taskId }, AbortSignal.timeout(reportTimeoutMs));
      if (answer.errorId === 0) return { recorded: true };
      return { recorded: false, reason: answer.errorCode ?? `errorId ${answer.errorId}` };
    } catch (err) {
      return { recorded: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  return {
    /** Sends the exact image bytes the portal served and waits for a worker's reading. */
    async solveImage(image: Buffer, solve: SolveImageOptions = {}): Promise<SolvedCaptcha> {
      const { caseSensitive = true, signal } = solve;
      const taskId = await createTask(
        {
          type: 'ImageToTextTask',
          body: image.toString('base64'),
          case: caseSensitive,
          minLength: 5,
          maxLength: 6,
        },
        signal,
      );
      const deadline = Date.now() + taskTimeoutMs;
      const solving = workerMetrics.captchaSolveSeconds.startTimer();
      while (Date.now() < deadline) {
        await sleep(pollIntervalMs, undefined, { signal });
        const result = await call('getTaskResult', { taskId }, signal);
        if (result.errorId !== 0) throw failure(result);
        if (result.status === 'ready') {
          solving();
          workerMetrics.captchaCostUsd.inc(Number(result.cost) || 0);
          return { taskId, text: result.solution?.text ?? '' };
        }
      }
      throw new CaptchaUnsolvable(`task ${taskId} not ready after ${taskTimeoutMs} ms`);
    },
    reportIncorrect: (taskId: number) => {
      workerMetrics.captchaWrongAnswers.inc();
      return report('reportIncorrect', taskId);
    },
    reportCorrect: (taskId: number) => report('reportCorrect', taskId),
    /** The account's balance in USD (for the metric and the low-balance alert). */
    async getBalance(): Promise<number> {
      const answer = await call('getBalance', {});
      if (answer.errorId !== 0) throw failure(answer);
      if (typeof answer.balance !== 'number') throw new Error('2Captcha getBalance answered no balance');
      return answer.balance;
    },
  };
}

export type TwoCaptchaClient = ReturnType<typeof createTwoCaptchaClient>;
