import { signBody } from './sign-body.js';

/**
 * AiSensy's project-webhook envelope as it arrives: `created_at` an ISO string, `delivery_attempt` a string
 * ("1", then "2" for the retry), `data.message` AiSensy's message object.
 */
export interface WebhookEnvelope {
  id: string;
  created_at: string;
  topic: 'message.sender.user' | 'message.status.updated' | 'message.created';
  project_id: string;
  delivery_attempt: string;
  data: { message: Record<string, unknown> };
}

/** One HTTP attempt, kept so tests can see retries and duplicates. */
export interface WebhookAttempt {
  envelopeId: string;
  topic: WebhookEnvelope['topic'];
  deliveryAttempt: number;
  /** HTTP status, or 0 when there was no answer (refused, or none within the timeout). */
  status: number;
}

/** AiSensy's delivery rules; the sandbox's knobs scale the times down for tests. */
export interface WebhookPolicy {
  /** An answer later than this is a failure (AiSensy: 5 s). */
  timeoutMs: number;
  /** A failed delivery is retried once, after this long (AiSensy: 5 minutes). */
  retryDelayMs: number;
  /** More failed attempts than this within `failureWindowMs` pause the webhook (AiSensy: 100 in 20 minutes). */
  disableAfterFailures: number;
  failureWindowMs: number;
  /** How long a paused webhook stays paused ("for a while": AiSensy does not say; 1 hour here). */
  pausedForMs: number;
}

/**
 * `active`: delivering. `paused`: too many failures lately, nothing is sent until `pausedUntil`.
 * `disabled`: the receiver answered 410, nothing is sent until the subscription is enabled again.
 */
export interface WebhookState {
  status: 'active' | 'paused' | 'disabled';
  /** Failed attempts counted in the current window (429 and 410 are not counted). */
  failuresInWindow: number;
  pausedUntil?: string;
  /** Webhooks not sent because the webhook was paused or disabled. */
  dropped: number;
}

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  now: () => Date;
  policy: () => WebhookPolicy;
  /** How many times each webhook is delivered (AiSensy sometimes delivers twice). */
  copies: () => number;
}

/**
 * Posts signed AiSensy envelopes the way AiSensy's Project Webhook documentation says it does: a 2xx
 * within 5 s is a delivery; anything else (a 4xx, a 5xx, no answer in time) is retried once, 5 minutes
 * later, with the same envelope id and `delivery_attempt` "2", then dropped. More than 100 failed
 * attempts in 20 minutes pause the webhook for a while, and a 410 disables the subscription.
 */
export function createWebhookSender(options: WebhookSenderOptions) {
  const attempts: WebhookAttempt[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const timers = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  let failures: number[] = [];
  let status: WebhookState['status'] = 'active';
  let pausedUntil = 0;
  let dropped = 0;
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

  /** Whether AiSensy would send now; a pause ends by itself once its time is up. */
  function sending(): boolean {
    if (status === 'paused' && options.now().getTime() >= pausedUntil) {
      status = 'active';
      failures = [];
    }
    return status === 'active' && !closed;
  }

  function countFailure(): void {
    const { disableAfterFailures, failureWindowMs, pausedForMs } = options.policy();
    const at = options.now().getTime();
    failures = [...failures.filter((time) => time > at - failureWindowMs), at];
    if (failures.length > disableAfterFailures && status === 'active') {
      status = 'paused';
      pausedUntil = at + pausedForMs;
    }
  }

  async function post(envelope: WebhookEnvelope): Promise<number> {
    const raw = JSON.stringify(envelope);
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-aisensy-signature': signBody(raw, options.secret) },
        body: raw,
        signal: AbortSignal.timeout(options.policy().timeoutMs),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  async function deliverCopy(envelope: Omit<WebhookEnvelope, 'delivery_attempt'>): Promise<boolean> {
    for (const attempt of [1, 2]) {
      if (attempt > 1) await sleep(options.policy().retryDelayMs);
      if (!sending()) {
        dropped++;
        return false;
      }
      const answer = await post({ ...envelope, delivery_attempt: String(attempt) });
      attempts.push({
        envelopeId: envelope.id,
        topic: envelope.topic,
        deliveryAttempt: attempt,
        status: answer,
      });
      if (answer >= 200 && answer < 300) return true;
      if (answer === 410) {
        status = 'disabled';
        return false;
      }
      // A 429 says "slow down", not "broken": retried, but not counted towards pausing the webhook.
      if (answer !== 429) countFailure();
    }
    return false;
  }

  return {
    attempts,
    /** Resolves true once the receiver answered 2xx (for the first copy), false when AiSensy would drop it. */
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
    state(): WebhookState {
      sending();
      return {
        status,
        failuresInWindow: failures.filter(
          (time) => time > options.now().getTime() - options.policy().failureWindowMs,
        ).length,
        ...(status === 'paused' ? { pausedUntil: new Date(pausedUntil).toISOString() } : {}),
        dropped,
      };
    },
    /** What saving the webhook again in AiSensy's dashboard does: deliveries resume, the count starts over. */
    enable(): void {
      status = 'active';
      failures = [];
    },
    /** Waits until every webhook sent so far is delivered or dropped. */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    reset(): void {
      attempts.length = 0;
      failures = [];
      status = 'active';
      dropped = 0;
    },
    close(): void {
      closed = true;
      for (const entry of timers) entry.done();
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
