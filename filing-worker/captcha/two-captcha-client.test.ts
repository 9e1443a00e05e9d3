import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createTwoCaptchaSandbox,
  type TwoCaptchaControl,
} from '../../sandbox/twocaptcha/create-two-captcha-sandbox.js';
import {
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

  before(async () => {
    const sandbox = createTwoCaptchaSandbox({ apiKey: 'key', solve: () => 'AB12C', processingMs: 500 });
    control = sandbox.control;
    app = Fastify();
    await app.register(sandbox.plugin);
    const apiUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    options = { apiUrl, apiKey: 'key', pollIntervalMs: 20, noSlotBackoffMs: 10 };
  });
  after(() => app?.close());

  it('sends the exact bytes, polls until ready, and reports verdicts', async () => {
    const client = createTwoCaptchaClient(options);
    const before = control.counters();
    const solved = await client.solveImage(IMAGE);
    assert.equal(solved.text, 'AB12C');
    assert.ok(control.tasks().at(-1)?.image.equals(IMAGE));
    assert.ok(control.counters().resultPolls - before.resultPolls >= 2, 'polled while processing');
    await client.reportIncorrect(solved.taskId);
    assert.equal(control.tasks().at(-1)?.reported, 'incorrect');
  });

  it('backs off and retries when no slot is available', async () => {
    control.setFaults({ noSlot: 2 });
    const solved = await createTwoCaptchaClient(options).solveImage(IMAGE);
    assert.equal(solved.text, 'AB12C');
  });

  it('asks for a fresh captcha on ERROR_CAPTCHA_UNSOLVABLE', async () => {
    control.setFaults({ unsolvable: 1 });
    await assert.rejects(createTwoCaptchaClient(options).solveImage(IMAGE), CaptchaUnsolvable);
  });

  const stops: [string, () => void, TwoCaptchaOptions['apiKey']][] = [
    ['ERROR_ZERO_BALANCE', () => control.setFaults({ zeroBalance: true }), 'key'],
    ['ERROR_KEY_DOES_NOT_EXIST', () => control.setFaults({ zeroBalance: false }), 'wrong-key'],
  ];
  for (const [code, arrange, apiKey] of stops) {
    it(`stops on ${code}`, async () => {
      arrange();
      await assert.rejects(
        createTwoCaptchaClient({ ...options, apiKey }).solveImage(IMAGE),
        (err) => err instanceof CaptchaServiceDown && err.code === code,
      );
    });
  }
});
