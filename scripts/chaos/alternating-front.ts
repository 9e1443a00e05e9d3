import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AlternatingFront {
  url: string;
  /** The service ports requests alternate between (in turn, whatever answered last). */
  ports: number[];
  close(): Promise<void>;
}

/**
 * One address in front of several services, each request sent to the next port in turn, as a plain
 * round-robin balancer without health checks: a request to a port that is down is answered 502, and the
 * caller (AiSensy, a browser) retries as it would in production.
 */
export async function startAlternatingFront(): Promise<AlternatingFront> {
  const ports: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const port = ports[next++ % ports.length];
    if (port === undefined) {
      outgoing.writeHead(502).end('no service behind the front');
      return;
    }
    const forwarded = request(
      {
        host: '127.0.0.1',
        port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
        agent,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ports,
    close: () =>
      new Promise((done) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
