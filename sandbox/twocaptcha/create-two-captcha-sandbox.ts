import type { FastifyPluginAsync } from 'fastify';

export interface TwoCaptchaSandboxOptions {
  /** The "worker": returns the text of an image, or undefined when it cannot be read. */
  solve: (imageBytes: Buffer) => string | undefined;
  apiKey: string;
  /** Account balance in USD. */
  balance?: number;
  /** How long a task stays "processing" before it is ready. */
  processingMs?: number;
  /** Price of one solved image captcha in USD. */
  costPerTask?: number;
  now?: () => number;
}

export interface TwoCaptchaFaults {
  /** The next N tasks are answered with a wrong text. */
  wrongAnswers: number;
  /** The next N tasks end in ERROR_CAPTCHA_UNSOLVABLE. */
  unsolvable: number;
  /** The next N createTask calls get ERROR_NO_SLOT_AVAILABLE. */
  noSlot: number;
  /** createTask answers ERROR_ZERO_BALANCE whatever the balance. */
  zeroBalance: boolean;
  /** Every method answers ERROR_IP_BLOCKED (2Captcha banned the caller's address). */
  ipBlocked: boolean;
  /** Reports answer ERROR_REPORT_NOT_RECORDED (as for an account whose complaints 2Captcha ignores). */
  reportsNotRecorded: boolean;
  processingMs: number;
}

export interface TwoCaptchaTask {
  taskId: number;
  image: Buffer;
  answer: string | undefined;
  createdAt: number;
  /** The task asked for a case-sensitive answer (`case: true`). */
  caseSensitive: boolean;
  reported: 'correct' | 'incorrect' | undefined;
}

export interface TwoCaptchaCounters {
  tasksCreated: number;
  reportsCorrect: number;
  reportsIncorrect: number;
  resultPolls: number;
}

export interface TwoCaptchaControl {
  setFaults(patch: Partial<TwoCaptchaFaults>): void;
  faults(): TwoCaptchaFaults;
  counters(): TwoCaptchaCounters;
  tasks(): TwoCaptchaTask[];
  balance(): number;
  setBalance(usd: number): void;
}

/**
 * 2Captcha's error ids and codes (https://2captcha.com/api-docs/error-codes). The two report errors are
 * not numbered there (they come from the report docs, https://2captcha.com/h/how-to-submit-reports, and
 * the classic API's list): their ids here are the sandbox's own, so no client may rely on them.
 */
const ERRORS = {
  ERROR_KEY_DOES_NOT_EXIST: [1, 'Your API key is incorrect'],
  ERROR_NO_SLOT_AVAILABLE: [2, 'Your bid is too low or your queue is too long: try again a bit later'],
  ERROR_ZERO_CAPTCHA_FILESIZE: [3, 'The image is smaller than 100 bytes'],
  ERROR_ZERO_BALANCE: [10, 'There are no funds on your account'],
  ERROR_CAPTCHA_UNSOLVABLE: [12, 'Workers could not solve the captcha'],
  ERROR_NO_SUCH_CAPCHA_ID: [16, 'The captcha id in the request is incorrect'],
  ERROR_IP_BLOCKED: [21, 'Your IP address is banned for improper use of the API'],
  ERROR_TASK_ABSENT: [22, 'The task property is missing in createTask'],
  ERROR_TASK_NOT_SUPPORTED: [23, 'The task type is not supported'],
  ERROR_REPORT_NOT_RECORDED: [
    1001,
    'The report was not recorded: too many complaints, or the captcha is older than 15 minutes',
  ],
  ERROR_DUPLICATE_REPORT: [1002, 'This captcha was reported already'],
} as const;

/** Reports about a task older than this are not recorded. */
const REPORT_WINDOW_MS = 15 * 60_000;

type ErrorCode = keyof typeof ERRORS;

function failure(code: ErrorCode) {
  const [errorId, errorDescription] = ERRORS[code];
  return { errorId, errorCode: code, errorDescription };
}

/** A different text of the same length, for the "wrong answer" fault. */
function garble(text: string): string {
  return [...text].map((c) => (c === 'X' ? 'Y' : 'X')).join('');
}

interface Body {
  clientKey?: string;
  taskId?: number | string;
  task?: { type?: string; body?: string; case?: boolean };
}

/** A stand-in for the 2Captcha JSON API (createTask, getTaskResult, reports, balance). */
export function createTwoCaptchaSandbox(options: TwoCaptchaSandboxOptions): {
  plugin: FastifyPluginAsync;
  control: TwoCaptchaControl;
} {
  const now = options.now ?? Date.now;
  const cost = options.costPerTask ?? 0.001;
  let balance = options.balance ?? 10;
  let nextTaskId = 73_000_000_001;
  const tasks = new Map<
    number,
    TwoCaptchaTask & { outcome: 'solved' | 'wrong' | 'unsolvable'; charged: boolean }
  >();
  const counters: TwoCaptchaCounters = {
    tasksCreated: 0,
    reportsCorrect: 0,
    reportsIncorrect: 0,
    resultPolls: 0,
  };
  const faults: TwoCaptchaFaults = {
    wrongAnswers: 0,
    unsolvable: 0,
    noSlot: 0,
    zeroBalance: false,
    ipBlocked: false,
    reportsNotRecorded: false,
    processingMs: options.processingMs ?? 0,
  };

  const plugin: FastifyPluginAsync = async (app) => {
    // 2Captcha answers HTTP 200 with errorId for every API error.
    app.addHook('preHandler', async (request, reply) => {
      if (faults.ipBlocked) return reply.send(failure('ERROR_IP_BLOCKED'));
      const body = (request.body ?? {}) as Body;
      if (body.clientKey !== options.apiKey) return reply.send(failure('ERROR_KEY_DOES_NOT_EXIST'));
    });

    app.post<{ Body: Body }>('/createTask', async (request) => {
      const { task } = request.body;
      if (!task) return failure('ERROR_TASK_ABSENT');
      if (task.type !== 'ImageToTextTask') return failure('ERROR_TASK_NOT_SUPPORTED');
      if (faults.zeroBalance || balance <= 0) return failure('ERROR_ZERO_BALANCE');
      if (faults.noSlot > 0) {
        faults.noSlot -= 1;
        return failure('ERROR_NO_SLOT_AVAILABLE');
      }
      const image = Buffer.from(task.body ?? '', 'base64');
      if (image.length < 100) return failure('ERROR_ZERO_CAPTCHA_FILESIZE');
      // `case: true` asks workers to keep the letters' case; without it they type in any case (2Captcha's
      // ImageToTextTask: "false - no preference"), which the sandbox plays as lower case.
      const caseSensitive = task.case === true;
      const read = options.solve(image);
      const solved = caseSensitive ? read : read?.toLowerCase();
      let outcome: 'solved' | 'wrong' | 'unsolvable' = solved === undefined ? 'unsolvable' : 'solved';
      if (faults.unsolvable > 0) {
        faults.unsolvable -= 1;
        outcome = 'unsolvable';
      } else if (outcome === 'solved' && faults.wrongAnswers > 0) {
        faults.wrongAnswers -= 1;
        outcome = 'wrong';
      }
      const taskId = nextTaskId++;
      const answer =
        solved === undefined || outcome === 'unsolvable'
          ? undefined
          : outcome === 'wrong'
            ? garble(solved)
            : solved;
      tasks.set(taskId, {
        taskId,
        image,
        answer,
        createdAt: now(),
        caseSensitive,
        reported: undefined,
        outcome,
        charged: false,
      });
      counters.tasksCreated += 1;
      return { errorId: 0, taskId };
    });

    app.post<{ Body: Body }>('/getTaskResult', async (request) => {
      counters.resultPolls += 1;
      const task = tasks.get(Number(request.body.taskId));
      if (!task) return failure('ERROR_NO_SUCH_CAPCHA_ID');
      if (now() - task.createdAt < faults.processingMs) return { errorId: 0, status: 'processing' };
      if (task.outcome === 'unsolvable' || task.answer === undefined)
        return failure('ERROR_CAPTCHA_UNSOLVABLE');
      if (!task.charged) {
        task.charged = true;
        balance = Math.max(0, balance - cost);
      }
      return {
        errorId: 0,
        status: 'ready',
        solution: { text: task.answer },
        cost: cost.toFixed(5),
        ip: '127.0.0.1',
        createTime: Math.floor(task.createdAt / 1000),
        endTime: Math.floor((task.createdAt + faults.processingMs) / 1000),
        solveCount: 1,
      };
    });

    for (const [path, verdict] of [
      ['/reportCorrect', 'correct'],
      ['/reportIncorrect', 'incorrect'],
    ] as const) {
      app.post<{ Body: Body }>(path, async (request) => {
        const task = tasks.get(Number(request.body.taskId));
        if (!task) return failure('ERROR_NO_SUCH_CAPCHA_ID');
        if (task.reported) return failure('ERROR_DUPLICATE_REPORT');
        if (faults.reportsNotRecorded || now() - task.createdAt > REPORT_WINDOW_MS) {
          return failure('ERROR_REPORT_NOT_RECORDED');
        }
        task.reported = verdict;
        if (verdict === 'correct') counters.reportsCorrect += 1;
        else counters.reportsIncorrect += 1;
        return { errorId: 0, status: 'success' };
      });
    }

    app.post('/getBalance', async () => ({ errorId: 0, balance: Number(balance.toFixed(5)) }));
  };

  const control: TwoCaptchaControl = {
    setFaults: (patch) => {
      Object.assign(faults, patch);
    },
    faults: () => ({ ...faults }),
    counters: () => ({ ...counters }),
    tasks: () => [...tasks.values()].map(({ outcome: _o, charged: _c, ...task }) => task),
    balance: () => balance,
    setBalance: (usd) => {
      balance = usd;
    },
  };
  return { plugin, control };
}
