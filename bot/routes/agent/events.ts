import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../../db/create-database.js';
import { createChangeFeed } from '../../console/create-change-feed.js';

export interface AgentEventsOptions {
  db: Db;
  pollIntervalMs?: number;
  heartbeatMs?: number;
}

/**
 * `GET /api/v1/agent/events`: Server-Sent Events telling the console which conversations changed, so a
 * new conversation or message shows within a second or so without a reload. Each change is two events:
 * `conversation` (the queue refreshes) and `conversation-<id>` (an open conversation refreshes itself).
 * Only ids travel here; the console fetches what it shows through the session, so every view is checked
 * and audited there. Open streams end when the service shuts down, before it waits for connections.
 */
export const agentEvents: FastifyPluginAsync<AgentEventsOptions> = async (app, options) => {
  const feed = createChangeFeed(options.db, { intervalMs: options.pollIntervalMs, logger: app.log });
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const open = new Set<ServerResponse>();

  app.addHook('preClose', async () => {
    feed.stop();
    for (const stream of open) stream.end();
  });

  app.get('/api/v1/agent/events', { preHandler: app.requireAgent }, async (request, reply) => {
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold the events back in their buffer.
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    stream.write('retry: 2000\n: connected\n\n');
    open.add(stream);
    const unsubscribe = feed.subscribe((conversationIds) => {
      for (const id of conversationIds) {
        const data = JSON.stringify({ id });
        stream.write(`event: conversation\ndata: ${data}\n\nevent: conversation-${id}\ndata: ${data}\n\n`);
      }
    });
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(stream);
    };
    request.raw.once('close', end);
    stream.once('close', end);
  });
};
