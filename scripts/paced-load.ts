import { Agent, request } from 'node:http';

export interface PacedLoadOptions {
  url: string;
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** Keep-alive connections at most; a request with none free waits, and that wait counts as latency. */
  connections: number;
  body: () => { payload: string; headers: Record<string, string> };
}

export interface PacedLoadResult {
  sent: number;
  non2xx: number;
  errors: number;
  /** Milliseconds from when each request was due to its response, sorted. */
  latencies: number[];
}

/**
 * An open-loop load at a constant arrival rate, the way webhooks arrive: request i is due at start + i/rate
 * whatever the answers so far, and its latency is measured from then (so a server that falls behind
 * shows it, instead of silently being asked less). autocannon's `overallRate` instead lets each
 * connection send its whole second's quota at once, a burst each second.
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  const result = { sent: 0, non2xx: 0, errors: 0 };
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();

  function send(due: number): void {
    const { payload, headers } = options.body();
    const done = new Promise<void>((resolve) => {
      const req = request(
        options.url,
        {
          method: 'POST',
          agent,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) result.non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        result.errors++;
        resolve();
      });
      req.end(payload);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
    result.sent++;
  }

  // A 1 ms tick sends every request that has come due, so a late tick catches up without drifting.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      while (result.sent < total && start + result.sent * intervalMs <= now) {
        send(start + result.sent * intervalMs);
      }
      if (result.sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  agent.destroy();
  return { ...result, latencies: latencies.sort((a, b) => a - b) };
}
