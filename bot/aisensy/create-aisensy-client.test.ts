import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { testConfig } from '../testing/build-test-app.js';
import { type AisensyClient, AisensySendError, createAisensyClient } from './create-aisensy-client.js';

/** A captured-shape answer of AiSensy's (bot/aisensy/fixtures/outbound, each with its `_source`). */
interface Fixture {
  _source: string;
  status: number;
  body: unknown;
}

const fixture = async (name: string): Promise<Fixture> =>
  JSON.parse(await readFile(new URL(`./fixtures/outbound/${name}.json`, import.meta.url), 'utf8'));

const template = {
  campaignName: 'cipc_agent_update',
  destination: '+27821234567',
  userName: 'Thandi',
  templateParams: ['Thandi', 'Your certificate is ready.'],
};
const session = { messaging_product: 'whatsapp', to: '27821234567', type: 'text', text: { body: 'hi' } };

describe('the AiSensy client reads AiSensy answers as they come', () => {
  let answer: Fixture;
  const requests: unknown[] = [];
  let client: AisensyClient;
  const provider = Fastify();
  before(async () => {
    provider.post('/*', async (request, reply) => {
      requests.push(request.body);
      return reply.code(answer.status).send(answer.body);
    });
    const url = await provider.listen({ host: '127.0.0.1', port: 0 });
    client = createAisensyClient({ ...testConfig.aisensy, apiUrl: url, campaignUrl: `${url}/campaign` });
  });
  after(() => provider.close());

  async function refusal(send: () => Promise<unknown>): Promise<AisensySendError> {
    const error = await send().then(
      () => assert.fail('expected a refusal'),
      (err: unknown) => err,
    );
    assert.ok(error instanceof AisensySendError, String(error));
    return error;
  }

  it('takes a campaign success, "true" as a string, and keeps AiSensy\'s own id', async () => {
    answer = await fixture('campaign-sent');
    assert.equal(await client.sendTemplate(template), '0e8f5a0c-6c1f-4a57-9f4e-3c2d1b0a9e87');
    assert.equal((requests.at(-1) as { destination: string }).destination, '+27821234567');
  });

  it('fails a 200 whose success is "false", for good, keeping what AiSensy said', async () => {
    answer = await fixture('campaign-refused-success-false');
    const error = await refusal(() => client.sendTemplate(template));
    assert.equal(error.retryable, false);
    assert.match(error.message, /Template params does not match the campaign/);
  });

  it('fails a 200 that carries an error, for good', async () => {
    answer = await fixture('campaign-refused-error-body');
    const error = await refusal(() => client.sendTemplate(template));
    assert.equal(error.retryable, false);
    assert.match(error.message, /Campaign is not live/);
  });

  it("retries a 200 that says neither yes nor no (not an answer of AiSensy's)", async () => {
    answer = { _source: 'a proxy page', status: 200, body: '<html>gateway</html>' };
    const error = await refusal(() => client.sendTemplate(template));
    assert.equal(error.retryable, true);
  });

  it('fails a refused campaign or number for good, and waits out an account without credits', async () => {
    for (const [name, retryable, message] of [
      ['campaign-does-not-exist', false, /Campaign does not exist\./],
      ['campaign-invalid-number', false, /Invalid Number/],
      ['campaign-no-credits', true, /Insufficient WhatsApp Conversation Credits/],
    ] as const) {
      answer = await fixture(name);
      const error = await refusal(() => client.sendTemplate(template));
      assert.equal(error.retryable, retryable, name);
      assert.equal(error.status, answer.status, name);
      assert.match(error.message, message, name);
    }
  });

  it("takes a session message's wamid from the Cloud API answer", async () => {
    answer = await fixture('session-sent');
    assert.equal(
      await client.sendSession(session),
      'wamid.HBgLMjc4MjEyMzQ1NjcVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
    );
  });

  it('takes a session 2xx without a message id as sent, its id unknown', async () => {
    answer = await fixture('session-accepted-without-id');
    assert.equal(await client.sendSession(session), undefined);
  });

  it('reads 131047 from a refused session message, so the window-closed fallback can act on it', async () => {
    answer = await fixture('session-window-closed');
    const error = await refusal(() => client.sendSession(session));
    assert.equal(error.code, '131047');
    assert.equal(error.retryable, false);
    assert.match(error.message, /Re-engagement message/);
  });
});
