import { setTimeout as sleep } from 'node:timers/promises';

export interface TwoCaptchaOptions {
  apiUrl: string;
  apiKey: string;
  /** Between getTaskResult polls; 2Captcha asks for 5 s. */
  pollIntervalMs?: number;
  /** Give up on one task after this long (the portal's captcha will have gone stale). */
  taskTimeoutMs?: number;
  /** First wait after ERROR_NO_SLOT_AVAILABLE; doubles on each further one. */
  noSlotBackoffMs?: number;
  noSlotAttempts?: number;
}

export interface SolvedCaptcha {
  taskId: number;
  text: string;
}

/** The account cannot solve anything until a person acts (zero balance, unknown key): stop and alert. */
export class CaptchaServiceDown extends Error {
  constructor(readonly code: string) {
    super(`2Captcha refused the task: ${code}`);
    this.name = 'CaptchaServiceDown';
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
  taskId?: number;
  status?: 'processing' | 'ready';
  solution?: { text?: string };
}

const STOP_CODES = new Set(['ERROR_ZERO_BALANCE', 'ERROR_KEY_DOES_NOT_EXIST', 'ERROR_IP_NOT_ALLOWED']);

/** 2Captcha's JSON API for image captchas: solve, then say whether the answer was right. */
export function createTwoCaptchaClient(options: TwoCaptchaOptions) {
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const taskTimeoutMs = options.taskTimeoutMs ?? 180_000;
  const noSlotBackoffMs = options.noSlotBackoffMs ?? 5_000;
  const noSlotAttempts = options.noSlotAttempts ?? 6;

  async function call(method: string, body: Record<string, unknown>, signal?: AbortSignal) {
    const response = await fetch(`${options.apiUrl.replace(/\/$/, '')}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientKey: options.apiKey, ...body }),
      signal,
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

  return {
    /** Sends the exact image bytes the portal served and waits for a worker's reading. */
    async solveImage(image: Buffer, signal?: AbortSignal): Promise<SolvedCaptcha> {
      const task = { type: 'ImageToTextTask', body: image.toString('base64'), minLength: 5, maxLength: 6 };
      let created: ApiAnswer | undefined;
      for (let attempt = 0; attempt < noSlotAttempts; attempt += 1) {
        created = await call('createTask', { task }, signal);
        if (created.errorCode !== 'ERROR_NO_SLOT_AVAILABLE') break;
        await sleep(noSlotBackoffMs * 2 ** attempt, undefined, { signal });
      }
      if (!created) throw new Error('2Captcha createTask gave no answer');
      if (created.errorId !== 0 || created.taskId === undefined) throw failure(created);
      const taskId = created.taskId;
      const deadline = Date.now() + taskTimeoutMs;
      while (Date.now() < deadline) {
        await sleep(pollIntervalMs, undefined, { signal });
        const result = await call('getTaskResult', { taskId }, signal);
        if (result.errorId !== 0) throw failure(result);
        if (result.status === 'ready') return { taskId, text: result.solution?.text ?? '' };
      }
      throw new CaptchaUnsolvable(`task ${taskId} not ready after ${taskTimeoutMs} ms`);
    },
    async reportIncorrect(taskId: number): Promise<void> {
      await call('reportIncorrect', { taskId });
    },
    async reportCorrect(taskId: number): Promise<void> {
      await call('reportCorrect', { taskId });
    },
  };
}

export type TwoCaptchaClient = ReturnType<typeof createTwoCaptchaClient>;
