import { signBody } from './sign-body.js';

export interface WebhookEnvelope {
  id: string;
  created_at: number;
  topic: 'message.sender.user' | 'message.status.updated' | 'message.created';
  project_id: string;
  delivery_attempt: number;
  data: { message: Record<string, unknown> };
}

/** One HTTP attempt, kept so tests can see retries and duplicates. */
export interface WebhookAttempt {
  envelopeId: string;
  topic: WebhookEnvelope['topic'];
  deliveryAttempt: number;
  /** HTTP status, or 0 when the request itself failed. */
  status: number;
}

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  /** Attempts per copy before giving up. */
  maxAttempts: () => number;
  /** First retry delay; it doubles on each retry. */
  baseDelayMs: () => number;
  /** How many times each webhook is delivered (AiSensy sometimes delivers twice). */
  copies: () => number;
}

/** Posts signed AiSensy envelopes, retrying until a 2xx like AiSensy does, bounded. */
export function createWebhookSender(options: WebhookSenderOptions) {
  const attempts: WebhookAttempt[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const timers = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const entry = { timer: setTimeout(() => finish(), ms), done: () => finish() };
      const finish = () => {
        clearTimeout(entry.timer);
        timers.delete(entry);
        done();
      };
      timers.add(entry);
    });

  async function post(envelope: WebhookEnvelope): Promise<number> {
    const raw = JSON.stringify(envelope);
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-aisensy-signature': signBody(raw, options.secret) },
        body: raw,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  async function deliverCopy(envelope: Omit<WebhookEnvelope, 'delivery_attempt'>): Promise<boolean> {
    const max = options.maxAttempts();
    for (let attempt = 1; attempt <= max && !closed; attempt++) {
      if (attempt > 1) await sleep(options.baseDelayMs() * 2 ** (attempt - 2));
      if (closed) break;
      const status = await post({ ...envelope, delivery_attempt: attempt });
      attempts.push({ envelopeId: envelope.id, topic: envelope.topic, deliveryAttempt: attempt, status });
      if (status >= 200 && status < 300) return true;
    }
    return false;
  }

  return {
    attempts,
    /** Resolves true once the receiver answered 2xx (for the first copy), false when attempts ran out. */
    send(envelope: Omit<WebhookEnvelope, 'delivery_attempt'>): Promise<boolean> {
      const run = (async () => {
        let delivered = false;
        for (let copy = 0; copy < Math.max(1, options.copies()); copy++) {
          const ok = await deliverCopy(envelope);
          if (copy === 0) delivered = ok;
        }
        return delivered;
      })();
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      return run;
    },
    /** Waits until every webhook sent so far is delivered or given up. */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    close(): void {
      closed = true;
      for (const entry of timers) entry.done();
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
