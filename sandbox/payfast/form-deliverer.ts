import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DeliveryAttempt {
  at: Date;
  /** HTTP status of the receiver's answer; absent when the request itself failed. */
  status?: number;
  error?: string;
}

/** One notification as the provider sends it; `attempts` grows as it is (re)tried. */
export interface FormDelivery {
  url: string;
  body: string;
  /** The local address it leaves from (e.g. 127.0.0.2: a source the receiver does not list); unset: the OS picks. */
  from?: string;
  attempts: DeliveryAttempt[];
  delivered: boolean;
}

export interface FormDelivererOptions {
  /** Waits between attempts: the providers' real schedules (minutes, hours) shortened. */
  retryDelaysMs: number[];
  /** Which answers count as received (PayFast: 200 only; Ozow: any 2xx). */
  accepts: (status: number) => boolean;
  now: () => Date;
  timeoutMs?: number;
}

/** One form POST; node:http rather than fetch because only it lets the caller pick the source address. */
function postForm(delivery: FormDelivery, signal: AbortSignal): Promise<number> {
  const url = new URL(delivery.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(delivery.body),
        },
        localAddress: delivery.from,
        signal,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(delivery.body);
  });
}

/**
 * Posts form-encoded notifications the way a payment provider does: first attempt (after an optional
 * delay), then retries on a refused answer or a network error. `settled()` lets a test wait for every
 * delivery in flight; `close()` stops pending retries (the plugin calls it when the server closes).
 */
export function createFormDeliverer(options: FormDelivererOptions) {
  const stop = new AbortController();
  const inFlight = new Set<Promise<void>>();

  async function attempt(delivery: FormDelivery): Promise<void> {
    const at = options.now();
    try {
      const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]);
      const status = await postForm(delivery, signal);
      delivery.attempts.push({ at, status });
      delivery.delivered = options.accepts(status);
    } catch (error) {
      delivery.attempts.push({ at, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function run(delivery: FormDelivery, delayMs: number, firstDone: () => void): Promise<void> {
    try {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: stop.signal });
      await attempt(delivery);
      firstDone();
      for (const wait of options.retryDelaysMs) {
        if (delivery.delivered || stop.signal.aborted) return;
        await sleep(wait, undefined, { signal: stop.signal });
        await attempt(delivery);
      }
    } catch (error) {
      if (!stop.signal.aborted) throw error;
    }
  }

  return {
    /** Resolves after the first attempt; retries carry on in the background. */
    send(delivery: FormDelivery, delayMs = 0): Promise<void> {
      let firstDone = () => {};
      const first = new Promise<void>((resolve) => {
        firstDone = resolve;
      });
      const running = run(delivery, delayMs, firstDone).finally(() => {
        inFlight.delete(running);
        firstDone();
      });
      inFlight.add(running);
      return first;
    },
    /** Counts a larger piece of work (several sends in a row) as in flight too. */
    track<T>(work: Promise<T>): Promise<T> {
      const tracked = work.then(
        () => {},
        () => {},
      );
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
      return work;
    },
    async settled(): Promise<void> {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    close(): void {
      stop.abort();
    },
  };
}

export type FormDeliverer = ReturnType<typeof createFormDeliverer>;
