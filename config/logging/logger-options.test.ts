import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loggerOptions } from './logger-options.js';

/** A logger with the service's options writing into an array of parsed lines. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const text: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text.push(String(chunk));
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = pino(loggerOptions({ env: 'test', logLevel: 'debug' }), stream);
  return { logger, lines, text: () => text.join('') };
}

const PHONE = '+27821234567';
const ID_NUMBER = '8001015009087';
const EMAIL = 'thandi@example.co.za';
const TOKEN = 'q9XbT2vPz7Lm4Rk8';

describe('the service logger', () => {
  it('writes no phone number, ID number, email, token, password, signature or cookie, however logged', () => {
    const { logger, text } = capturedLogger();
    logger.info(
      {
        phone: PHONE,
        user: { email: EMAIL, idNumber: ID_NUMBER, fas: `Thandi Mokoena ${ID_NUMBER}` },
        envelope: { data: { message: { phone_number: '27821234567', message_content: { text: EMAIL } } } },
        payUrl: `https://bot.example/pay/${TOKEN}`,
        password: 'hunter2',
        headers: { authorization: 'Bearer s3cret', cookie: 'session=abc', 'x-aisensy-signature': 'f00d' },
        passphrase: 'jt7NOE43FZPn',
        lines: [`${PHONE} said ${EMAIL}`],
      },
      'message from %s with %s',
      PHONE,
      EMAIL,
    );
    logger.error({ err: new Error(`insert failed for ${PHONE} (${ID_NUMBER})`) }, 'could not store');
    logger.child({ conversationId: 'c-1' }).warn(`reply to ${PHONE} failed`);
    const written = text();
    for (const secret of [
      PHONE,
      '27821234567',
      ID_NUMBER,
      EMAIL,
      TOKEN,
      'hunter2',
      's3cret',
      'session=abc',
      'f00d',
      'jt7NOE43FZPn',
    ]) {
      assert.ok(!written.includes(secret), `${secret} was written: ${written}`);
    }
    assert.match(written, /\+27 82 ••• 4567/);
    assert.match(written, /\/pay\/\[token\]/);
  });

  it('keeps what makes a line useful: ids, the error type and stack, the level and the message', () => {
    const { logger, lines } = capturedLogger();
    logger
      .child({ conversationId: 'c-1', orderId: 'o-2' })
      .error({ err: new TypeError('bad shape') }, 'failed');
    const [line] = lines;
    assert.equal(line?.conversationId, 'c-1');
    assert.equal(line?.orderId, 'o-2');
    assert.equal(line?.msg, 'failed');
    const err = line?.err as { type: string; message: string; stack: string };
    assert.equal(err.type, 'TypeError');
    assert.equal(err.message, 'bad shape');
    assert.match(err.stack, /TypeError: bad shape/);
  });

  it('logs a request as its method and masked URL only', () => {
    const { logger, lines } = capturedLogger();
    const request = {
      method: 'GET',
      url: `/pay/${TOKEN}/payfast`,
      headers: { cookie: 'session=abc' },
      socket: { remoteAddress: '198.51.100.7' },
    };
    logger.info({ req: request }, 'incoming request');
    assert.deepEqual(lines[0]?.req, { method: 'GET', url: '/pay/[token]/payfast' });
  });
});
