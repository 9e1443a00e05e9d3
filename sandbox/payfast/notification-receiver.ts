/**
 * Test support: a tiny merchant server on 127.0.0.1 that records what providers post to it, answers
 * with scripted statuses (to exercise retries) and serves fixed HTML pages (checkout form, return page).
 */
import Fastify from 'fastify';

export interface ReceivedPost {
  path: string;
  rawBody: string;
  remoteAddress: string;
  at: number;
}

export async function startNotificationReceiver(pages: Record<string, (origin: string) => string> = {}) {
  const app = Fastify();
  const received: ReceivedPost[] = [];
  const scriptedStatuses: number[] = [];
  let arrived = () => {};
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.post('/*', async (request, reply) => {
    received.push({
      path: request.url,
      rawBody: String(request.body ?? ''),
      remoteAddress: request.socket.remoteAddress ?? '',
      at: Date.now(),
    });
    arrived();
    return reply.code(scriptedStatuses.shift() ?? 200).send('OK');
  });
  app.get('/*', async (request, reply) => {
    const page = pages[new URL(request.url, 'http://x').pathname];
    if (!page) return reply.code(404).send('not found');
    return reply.type('text/html').send(page(origin));
  });
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    origin,
    received,
    /** The next answers to posts, in order (200 after they run out). */
    answerWith(...statuses: number[]) {
      scriptedStatuses.push(...statuses);
    },
    /** Resolves once `count` posts have arrived. */
    async waitFor(count: number, timeoutMs = 5_000): Promise<ReceivedPost[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} posts, got ${received.length}`);
        await new Promise<void>((resolve) => {
          arrived = resolve;
          setTimeout(resolve, 50);
        });
      }
      return received.slice(0, count);
    },
    close: () => app.close(),
  };
}

export type NotificationReceiver = Awaited<ReturnType<typeof startNotificationReceiver>>;
