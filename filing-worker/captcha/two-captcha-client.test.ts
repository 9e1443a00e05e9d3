import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createTwoCaptchaSandbox,
  type TwoCaptchaControl,
  type TwoCaptchaFaults,
} from '../../sandbox/twocaptcha/create-two-captcha-sandbox.js';
import {
  CaptchaServiceBusy,
  CaptchaServiceDown,
  CaptchaUnsolvable,
  createTwoCaptchaClient,
  type TwoCaptchaOptions,
} from './two-captcha-client.js';

const IMAGE = Buffer.alloc(200, 7);
describe('2Captcha client against the 2Captcha sandbox', () => {
  let app: FastifyInstance;
  let control: TwoCaptchaControl;
  let options: TwoCaptchaOptions;
  let noFaults: TwoCaptchaFaults;

  before(async () => {
    const sandbox = createTwoCaptchaSandbox({ apiKey: 'key', solve: () => 'Ab12C', processingMs: 500 });
    control = sandbox.control;
    noFaults = control.faults();
    app = Fastify();
    await app.register(sandbox.plugin);
    const apiUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    options = { apiUrl, apiKey: 'key', pollIntervalMs: 20, noSlotBackoffMs: 10 };
  });
  after(() => app?.close());
  beforeEach(() => control.setFaults(noFaults));

  it('sends the exact bytes, polls until ready, and reports verdicts', async () => {
    const client = createTwoCaptchaClient(options);
    const before = control.counters();
    const solved = await client.solveImage(IMAGE);
    assert.equal(solved.text, 'Ab12C');
    assert.ok(control.tasks().at(-1)?.image.equals(IMAGE));
    assert.ok(control.counters().resultPolls - before.resultPolls >= 2, 'polled while processing');
    assert.deepEqual(await client.reportIncorrect(solved.taskId), { recorded: true });
    assert.equal(control.tasks().at(-1)?.reported, 'incorrect');
  });

  it('asks for a case-sensitive reading unless told the code ignores case', async () => {
    const client = createTwoCaptchaClient(options);
    assert.equal((await client.solveImage(IMAGE)).text, 'Ab12C');
    assert.equal(control.tasks().at(-1)?.caseSensitive, true);
    assert.equal((await client.solveImage(IMAGE, { caseSensitive: false })).text, 'ab12c');
    assert.equal(control.tasks().at(-1)?.caseSensitive, false);
  });

  it('backs off and retries when no slot is available', async () => {
    control.setFaults({ noSlot: 2 });
    const solved = await createTwoCaptchaClient(options).solveImage(IMAGE);
    assert.equal(solved.text, 'Ab12C');
  });

  it('gives up on ERROR_NO_SLOT_AVAILABLE after its attempts, with a typed error and no wait after the last', async () => {
    control.setFaults({ noSlot: 10 });
    const client = createTwoCaptchaClient({ ...options, noSlotAttempts: 2, noSlotBackoffMs: 400 });
    const started = Date.now();
    await assert.rejects(
      client.solveImage(IMAGE),
      (err) => err instanceof CaptchaServiceBusy && err.attempts === 2,
    );
    const took = Date.now() - started;
    // One wait (400 ms) between the two attempts; a wait after the last (800 ms more) would be wasted.
    assert.ok(took >= 400 && took < 1_000, `took ${took} ms`);
  });

  it('asks for a fresh captcha on ERROR_CAPTCHA_UNSOLVABLE', async () => {
    control.setFaults({ unsolvable: 1 });
    await assert.rejects(createTwoCaptchaClient(options).solveImage(IMAGE), CaptchaUnsolvable);
  });

  const stops: [string, Partial<TwoCaptchaFaults>, TwoCaptchaOptions['apiKey']][] = [
    ['ERROR_ZERO_BALANCE', { zeroBalance: true }, 'key'],
    ['ERROR_KEY_DOES_NOT_EXIST', {}, 'wrong-key'],
    ['ERROR_IP_BLOCKED', { ipBlocked: true }, 'key'],
  ];
  for (const [code, faults, apiKey] of stops) {
    it(`stops on ${code}`, async () => {
      control.setFaults(faults);
      await assert.rejects(
        createTwoCaptchaClient({ ...options, apiKey }).solveImage(IMAGE),
        (err) => err instanceof CaptchaServiceDown && err.code === code,
      );
    });
  }

  it('says when 2Captcha did not record a report, and never throws for it', async () => {
    const client = createTwoCaptchaClient(options);
    const solved = await client.solveImage(IMAGE);
    control.setFaults({ reportsNotRecorded: true });
    assert.deepEqual(await client.reportIncorrect(solved.taskId), {
      recorded: false,
      reason: 'ERROR_REPORT_NOT_RECORDED',
    });
    control.setFaults({ reportsNotRecorded: false });
    assert.deepEqual(await client.reportCorrect(solved.taskId), { recorded: true });
    assert.deepEqual(await client.reportCorrect(solved.taskId), {
      recorded: false,
      reason: 'ERROR_DUPLICATE_REPORT',
    });
  });

  it('gives up on a report that gets no answer within its timeout', async () => {
    const silent = createServer(() => {}); // accepts the request, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const client = createTwoCaptchaClient({
        apiUrl: `http://127.0.0.1:${port}`,
        apiKey: 'key',
        reportTimeoutMs: 200,
      });
      const started = Date.now();
      const report = await client.reportCorrect(1);
      assert.equal(report.recorded, false);
      assert.ok(Date.now() - started < 2_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('reads the balance, and stops on a refused key', async () => {
    control.setBalance(4.25);
    assert.equal(await createTwoCaptchaClient(options).getBalance(), 4.25);
    await assert.rejects(
      createTwoCaptchaClient({ ...options, apiKey: 'wrong-key' }).getBalance(),
      CaptchaServiceDown,
    );
  });
});
