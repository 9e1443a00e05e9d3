import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { type AisensySandboxOptions, createAisensySandbox } from './create-aisensy-sandbox.js';
import type { WebhookEnvelope } from './webhook-sender.js';

export const HARNESS = {
  projectId: 'proj-123',
  projectApiPwd: 'project-pwd',
  apiKey: 'campaign-api-key',
  webhookSecret: 'webhook-secret',
};

/**
 * For tests: the sandbox on 127.0.0.1:0 (APIs under `/sandbox/aisensy`, phone page at the root) and a
 * receiver standing in for our `POST /webhooks/aisensy` that checks each signature on its own.
 */
export async function startAisensyHarness(
  options: Partial<Pick<AisensySandboxOptions, 'knobs' | 'templates' | 'now'>> = {},
) {
  const accepted: WebhookEnvelope[] = [];
  const attempts: { envelope: WebhookEnvelope; answered: number }[] = [];
  let badSignatures = 0;
  let failuresLeft = 0;
  let failWith = 500;
  let slowLeft = 0;
  let slowMs = 0;

  const receiver = Fastify();
  receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  receiver.post('/webhooks/aisensy', async (request, reply) => {
    const raw = request.body as string;
    const expected = createHmac('sha256', HARNESS.webhookSecret).update(raw).digest();
    const given = Buffer.from(String(request.headers['x-aisensy-signature'] ?? ''), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      badSignatures++;
      return reply.code(401).send({ error: 'bad signature' });
    }
    const envelope = JSON.parse(raw) as WebhookEnvelope;
    if (slowLeft > 0) {
      slowLeft--;
      await new Promise((resolve) => setTimeout(resolve, slowMs));
    }
    const answered = failuresLeft > 0 ? failWith : 200;
    if (failuresLeft > 0) failuresLeft--;
    attempts.push({ envelope, answered });
    if (answered === 200) accepted.push(envelope);
    return reply.code(answered).send({ ok: answered === 200 });
  });
  const receiverUrl = await receiver.listen({ host: '127.0.0.1', port: 0 });

  const sandbox = createAisensySandbox({
    ...HARNESS,
    webhookUrl: `${receiverUrl}/webhooks/aisensy`,
    knobs: { webhookRetryDelayMs: 10, ...options.knobs },
    ...(options.templates ? { templates: options.templates } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const app = Fastify();
  await app.register(sandbox.plugin, { prefix: '/sandbox/aisensy' });
  await app.register(sandbox.phonePlugin);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });

  return {
    baseUrl,
    apiUrl: `${baseUrl}/sandbox/aisensy`,
    control: sandbox.control,
    accepted,
    attempts,
    badSignatures: () => badSignatures,
    /** The receiver answers `status` (500 unless said) to the next `count` webhooks. */
    failNextReceives(count: number, status = 500): void {
      failuresLeft = count;
      failWith = status;
    },
    /** The receiver takes `ms` to answer each of the next `count` webhooks. */
    answerSlowly(count: number, ms: number): void {
      slowLeft = count;
      slowMs = ms;
    },
    /** Waits for an accepted envelope matching the predicate. */
    async waitForEnvelope(
      predicate: (envelope: WebhookEnvelope) => boolean,
      timeoutMs = 3000,
    ): Promise<WebhookEnvelope> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = accepted.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('no matching envelope arrived');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close(): Promise<void> {
      await app.close();
      await receiver.close();
    },
  };
}

export type AisensyHarness = Awaited<ReturnType<typeof startAisensyHarness>>;
