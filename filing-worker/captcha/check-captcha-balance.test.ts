import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { createTwoCaptchaSandbox } from '../../sandbox/twocaptcha/create-two-captcha-sandbox.js';
import { checkCaptchaBalance } from './check-captcha-balance.js';
import { createTwoCaptchaClient } from './two-captcha-client.js';

describe('checkCaptchaBalance', () => {
  const sandbox = createTwoCaptchaSandbox({ apiKey: 'key', solve: () => 'AB12C' });
  const app = Fastify();
  let captcha: ReturnType<typeof createTwoCaptchaClient>;
  let lines: Record<string, unknown>[] = [];
  const logger = pino(
    { base: null, timestamp: false },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  before(async () => {
    await app.register(sandbox.plugin);
    captcha = createTwoCaptchaClient({
      apiUrl: await app.listen({ host: '127.0.0.1', port: 0 }),
      apiKey: 'key',
    });
  });
  after(() => app.close());
  beforeEach(() => {
    lines = [];
    sandbox.control.setFaults({ ipBlocked: false });
  });

  it('logs the balance, and warns when it is below the threshold', async () => {
    sandbox.control.setBalance(7.5);
    assert.equal(await checkCaptchaBalance(captcha, logger, 2), 7.5);
    sandbox.control.setBalance(1.25);
    assert.equal(await checkCaptchaBalance(captcha, logger, 2), 1.25);
    assert.deepEqual(lines, [
      { level: 30, balanceUsd: 7.5, msg: '2Captcha balance' },
      { level: 40, balanceUsd: 1.25, lowUsd: 2, msg: '2Captcha balance low: top it up' },
    ]);
  });

  it('warns, and throws nothing, when the balance cannot be read', async () => {
    sandbox.control.setFaults({ ipBlocked: true });
    assert.equal(await checkCaptchaBalance(captcha, logger), undefined);
    const [line] = lines;
    assert.equal(line?.level, 40);
    assert.match(JSON.stringify(line?.err), /ERROR_IP_BLOCKED/);
  });
});
