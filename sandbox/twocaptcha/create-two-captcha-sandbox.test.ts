import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { createTwoCaptchaSandbox, type TwoCaptchaControl } from './create-two-captcha-sandbox.js';

const KEY = 'test-key';
const IMAGE = Buffer.alloc(300, 7);
const UNREADABLE = Buffer.alloc(300, 9);

describe('2Captcha sandbox', () => {
  let app: FastifyInstance;
  let control: TwoCaptchaControl;
  let baseUrl: string;
  let clock = 0;

  before(async () => {
    const sandbox = createTwoCaptchaSandbox({
      apiKey: KEY,
      balance: 1,
      solve: (bytes) => (bytes.equals(IMAGE) ? 'K7XQ2' : undefined),
      now: () => clock,
    });
    control = sandbox.control;
    app = Fastify();
    await app.register(sandbox.plugin, { prefix: '/2captcha' });
    baseUrl = `${await app.listen({ host: '127.0.0.1', port: 0 })}/2captcha`;
  });
  after(() => app.close());

  async function call(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await fetch(`${baseUrl}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientKey: KEY, ...body }),
    });
    assert.equal(response.status, 200, '2Captcha answers errors with HTTP 200 and an errorId');
    return (await response.json()) as Record<string, unknown>;
  }

  const createTask = (image = IMAGE) =>
    call('createTask', { task: { type: 'ImageToTextTask', body: image.toString('base64'), case: true } });

  it('solves an image task after it has been processing for the configured time, and charges for it', async () => {
    control.setFaults({ processingMs: 5_000 });
    const created = await createTask();
    assert.equal(created.errorId, 0);
    assert.equal(typeof created.taskId, 'number');
    assert.deepEqual(await call('getTaskResult', { taskId: created.taskId }), {
      errorId: 0,
      status: 'processing',
    });
    clock += 5_000;
    const ready = await call('getTaskResult', { taskId: created.taskId });
    assert.equal(ready.status, 'ready');
    assert.deepEqual(ready.solution, { text: 'K7XQ2' });
    assert.equal(ready.cost, '0.00100');
    assert.deepEqual(await call('getBalance', {}), { errorId: 0, balance: 0.999 });
    assert.deepEqual(await call('reportCorrect', { taskId: created.taskId }), {
      errorId: 0,
      status: 'success',
    });
    control.setFaults({ processingMs: 0 });
  });

  it('answers wrong for the next N tasks and counts incorrect reports', async () => {
    control.setFaults({ wrongAnswers: 1 });
    const wrong = await createTask();
    const result = await call('getTaskResult', { taskId: wrong.taskId });
    assert.notEqual((result.solution as { text: string }).text, 'K7XQ2');
    await call('reportIncorrect', { taskId: wrong.taskId });
    const right = await createTask();
    assert.deepEqual((await call('getTaskResult', { taskId: right.taskId })).solution, { text: 'K7XQ2' });
    assert.equal(control.counters().reportsIncorrect, 1);
  });

  const errorCases: [string, () => void, () => Promise<Record<string, unknown>>, string, number][] = [
    ['a wrong key', () => {}, () => call('getBalance', { clientKey: 'nope' }), 'ERROR_KEY_DOES_NOT_EXIST', 1],
    [
      'no free slot',
      () => control.setFaults({ noSlot: 1 }),
      () => createTask(),
      'ERROR_NO_SLOT_AVAILABLE',
      2,
    ],
    [
      'a blocked IP, whatever the method',
      () => control.setFaults({ ipBlocked: true }),
      () => call('getBalance', {}),
      'ERROR_IP_BLOCKED',
      21,
    ],
    [
      'zero balance',
      () => control.setFaults({ zeroBalance: true }),
      () => createTask(),
      'ERROR_ZERO_BALANCE',
      10,
    ],
    [
      'an unknown task id',
      () => {},
      () => call('getTaskResult', { taskId: 42 }),
      'ERROR_NO_SUCH_CAPCHA_ID',
      16,
    ],
    [
      'an image nobody can read',
      () => {},
      async () => call('getTaskResult', { taskId: (await createTask(UNREADABLE)).taskId }),
      'ERROR_CAPTCHA_UNSOLVABLE',
      12,
    ],
    [
      'the unsolvable fault',
      () => control.setFaults({ unsolvable: 1 }),
      async () => call('getTaskResult', { taskId: (await createTask()).taskId }),
      'ERROR_CAPTCHA_UNSOLVABLE',
      12,
    ],
  ];
  for (const [what, arrange, act, errorCode, errorId] of errorCases) {
    it(`answers ${errorCode} for ${what}`, async () => {
      arrange();
      const answer = await act();
      control.setFaults({ zeroBalance: false, ipBlocked: false });
      assert.equal(answer.errorId, errorId);
      assert.equal(answer.errorCode, errorCode);
      assert.equal(typeof answer.errorDescription, 'string');
    });
  }

  it('keeps the case of the text only when the task asks for it (case: true)', async () => {
    const mixed = createTwoCaptchaSandbox({ apiKey: KEY, solve: () => 'Ab3dE' });
    const server = Fastify();
    await server.register(mixed.plugin);
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const solve = async (task: Record<string, unknown>) => {
        const post = (method: string, body: object) =>
          fetch(`${url}/${method}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ clientKey: KEY, ...body }),
          }).then((r) => r.json() as Promise<Record<string, unknown>>);
        const { taskId } = await post('createTask', {
          task: { type: 'ImageToTextTask', body: IMAGE.toString('base64'), ...task },
        });
        return (await post('getTaskResult', { taskId })).solution;
      };
      assert.deepEqual(await solve({ case: true }), { text: 'Ab3dE' });
      assert.deepEqual(await solve({}), { text: 'ab3de' }, 'no preference: any case');
      assert.deepEqual(
        mixed.control.tasks().map((t) => t.caseSensitive),
        [true, false],
      );
    } finally {
      await server.close();
    }
  });

  it('records one report per task within 15 minutes, and answers the real errors otherwise', async () => {
    const reported = await createTask();
    const late = await createTask();
    const notRecorded = await createTask();
    assert.deepEqual(await call('reportCorrect', { taskId: reported.taskId }), {
      errorId: 0,
      status: 'success',
    });
    const codeOf = async (method: string, taskId: unknown) => (await call(method, { taskId })).errorCode;
    assert.equal(await codeOf('reportIncorrect', reported.taskId), 'ERROR_DUPLICATE_REPORT');
    assert.equal(await codeOf('reportIncorrect', 42), 'ERROR_NO_SUCH_CAPCHA_ID');
    control.setFaults({ reportsNotRecorded: true });
    assert.equal(await codeOf('reportIncorrect', notRecorded.taskId), 'ERROR_REPORT_NOT_RECORDED');
    control.setFaults({ reportsNotRecorded: false });
    clock += 15 * 60_000 + 1;
    assert.equal(await codeOf('reportIncorrect', late.taskId), 'ERROR_REPORT_NOT_RECORDED');
    assert.equal(control.tasks().find((t) => t.taskId === late.taskId)?.reported, undefined);
  });

  it('answers ERROR_ZERO_BALANCE once the balance is spent', async () => {
    control.setBalance(0);
    assert.equal((await createTask()).errorCode, 'ERROR_ZERO_BALANCE');
    control.setBalance(1);
  });

  it('counts the tasks created', () => {
    assert.equal(control.counters().tasksCreated, control.tasks().length);
    assert.ok(control.counters().tasksCreated >= 5);
  });
});
