import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import {
  CaptchaServiceBusy,
  CaptchaServiceDown,
  CaptchaUnsolvable,
  createTwoCaptchaClient,
} from './two-captcha-client.js';

type Answer = Record<string, unknown>;
interface Answers {
  createTask: Answer;
  getTaskResult: { processing: Answer; ready: Answer; unsolvable: Answer };
  getBalance: Answer;
  report: Answer;
  errors: Record<string, Answer>;
}

const IMAGE = Buffer.alloc(200, 7);

/**
 * 2Captcha's documented answers (fixtures/two-captcha-answers.json names the pages) replayed to our
 * client by a server that answers each method from a queue, as 2Captcha does: HTTP 200, errorId.
 */
describe('2Captcha conformance (documented answers)', () => {
  const server = Fastify();
  const queued = new Map<string, Answer[]>();
  const asked: { method: string; body: Answer }[] = [];
  let answers: Answers;
  let client: ReturnType<typeof createTwoCaptchaClient>;

  before(async () => {
    answers = JSON.parse(
      await readFile(new URL('./fixtures/two-captcha-answers.json', import.meta.url), 'utf8'),
    ) as Answers;
    server.post<{ Params: { method: string }; Body: Answer }>('/:method', async (request) => {
      asked.push({ method: request.params.method, body: request.body });
      const queue = queued.get(request.params.method) ?? [];
      return queue.length > 1 ? queue.shift() : queue[0];
    });
    const apiUrl = await server.listen({ host: '127.0.0.1', port: 0 });
    client = createTwoCaptchaClient({
      apiUrl,
      apiKey: 'key',
      pollIntervalMs: 5,
      noSlotBackoffMs: 5,
      noSlotAttempts: 3,
    });
  });
  after(() => server.close());
  beforeEach(() => {
    queued.clear();
    asked.length = 0;
  });
  const answer = (method: string, ...list: Answer[]) => queued.set(method, list);

  it('creates an ImageToTextTask as documented, polls while processing, and reads the solution', async () => {
    answer('createTask', answers.createTask);
    answer('getTaskResult', answers.getTaskResult.processing, answers.getTaskResult.ready);
    assert.deepEqual(await client.solveImage(IMAGE), { taskId: 74372499131, text: 'Xk7Bq' });
    assert.deepEqual(asked[0], {
      method: 'createTask',
      body: {
        clientKey: 'key',
        task: {
          type: 'ImageToTextTask',
          body: IMAGE.toString('base64'),
          case: true,
          minLength: 5,
          maxLength: 6,
        },
      },
    });
    assert.deepEqual(
      asked.slice(1).map((a) => [a.method, a.body]),
      [
        ['getTaskResult', { clientKey: 'key', taskId: 74372499131 }],
        ['getTaskResult', { clientKey: 'key', taskId: 74372499131 }],
      ],
    );
  });

  it('reads an unsolvable task as "fetch a fresh captcha"', async () => {
    answer('createTask', answers.createTask);
    answer('getTaskResult', answers.getTaskResult.unsolvable);
    await assert.rejects(client.solveImage(IMAGE), CaptchaUnsolvable);
  });

  for (const code of [
    'ERROR_KEY_DOES_NOT_EXIST',
    'ERROR_ZERO_BALANCE',
    'ERROR_IP_NOT_ALLOWED',
    'ERROR_IP_BLOCKED',
  ]) {
    it(`stops for a person on ${code}`, async () => {
      answer('createTask', answers.errors[code] as Answer);
      await assert.rejects(
        client.solveImage(IMAGE),
        (err) => err instanceof CaptchaServiceDown && err.code === code,
      );
    });
  }

  it('ends ERROR_NO_SLOT_AVAILABLE after the bounded attempts in a typed error', async () => {
    answer('createTask', answers.errors.ERROR_NO_SLOT_AVAILABLE as Answer);
    await assert.rejects(
      client.solveImage(IMAGE),
      (err) => err instanceof CaptchaServiceBusy && err.attempts === 3,
    );
    assert.equal(asked.length, 3);
  });

  it('names the code of an unknown task', async () => {
    answer('createTask', answers.createTask);
    answer('getTaskResult', answers.errors.ERROR_NO_SUCH_CAPCHA_ID as Answer);
    await assert.rejects(client.solveImage(IMAGE), /ERROR_NO_SUCH_CAPCHA_ID/);
  });

  it('reads the balance', async () => {
    answer('getBalance', answers.getBalance);
    assert.equal(await client.getBalance(), 3.1457);
    assert.deepEqual(asked[0]?.body, { clientKey: 'key' });
  });

  it('reads a report as recorded, or not recorded with 2Captcha’s reason', async () => {
    answer('reportCorrect', answers.report);
    answer('reportIncorrect', answers.errors.ERROR_REPORT_NOT_RECORDED as Answer);
    assert.deepEqual(await client.reportCorrect(74372499131), { recorded: true });
    assert.deepEqual(await client.reportIncorrect(74372499131), {
      recorded: false,
      reason: 'ERROR_REPORT_NOT_RECORDED',
    });
    assert.deepEqual(asked[1], {
      method: 'reportIncorrect',
      body: { clientKey: 'key', taskId: 74372499131 },
    });
  });
});
