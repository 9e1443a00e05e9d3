import { setTimeout as sleep } from 'node:timers/promises';
import { inArray } from 'drizzle-orm';
import { events } from '../../db/schema.js';
import type { ChaosSystem } from './start-chaos-system.js';

let nextPhone = 27_700_000_000;

export interface Storm {
  phones: string[];
  /** Phones whose "hi" AiSensy's webhook delivered (a 2xx from us): each must be answered. */
  acknowledged: Map<string, string>;
  /** From each message being sent to its webhook answered 2xx, for the acknowledged ones, sorted. */
  latenciesMs: number[];
  startedAt: number;
  sentAt: number;
}

/**
 * `count` new users each say "hi" through the AiSensy sandbox at `rate` per second (open loop: message i
 * leaves at start + i/rate whatever came back), as AiSensy delivers them: signed webhooks, retried until
 * 2xx up to its attempt limit. Resolves when every webhook was delivered or given up.
 */
export async function messageStorm(system: ChaosSystem, count: number, rate: number): Promise<Storm> {
  const phones = Array.from({ length: count }, () => String(nextPhone++));
  const acknowledged = new Map<string, string>();
  const latenciesMs: number[] = [];
  const startedAt = Date.now();
  await Promise.all(
    phones.map(async (phone, i) => {
      await sleep(Math.max(0, startedAt + (i * 1000) / rate - Date.now()));
      const sent = performance.now();
      const { message, delivered } = await system.aisensy.sendFromUser({
        phone,
        userName: 'Chaos',
        text: 'hi',
      });
      if (!delivered) return;
      latenciesMs.push(performance.now() - sent);
      acknowledged.set(phone, message.wamid);
    }),
  );
  return {
    phones,
    acknowledged,
    latenciesMs: latenciesMs.sort((a, b) => a - b),
    startedAt,
    sentAt: Date.now(),
  };
}

/** What a user sees in answer to "hi" on a quiet system: the sequence every storm user must get. */
export async function quietAnswer(system: ChaosSystem): Promise<string[]> {
  const storm = await messageStorm(system, 1, 1);
  const [phone] = storm.phones as [string];
  let answer: string[] = [];
  let stableSince = Date.now();
  const deadline = Date.now() + 60_000;
  while (answer.length === 0 || Date.now() - stableSince < 3_000) {
    if (Date.now() > deadline) throw new Error('no answer to "hi" within 60 s on a quiet system');
    await sleep(200);
    const now = signatures(system, phone);
    if (now.length !== answer.length) stableSince = Date.now();
    answer = now;
  }
  return answer;
}

export interface Answered {
  /** Acknowledged users whose answer is complete, in order, nothing twice. */
  complete: number;
  /** Acknowledged users missing part or all of the answer when the time was up. */
  lost: number;
  /** Users who got a message of the answer more than once. */
  twice: number;
  outOfOrder: number;
  /** Acknowledged messages not stored (or not applied) by the service. */
  notApplied: number;
  /** When the last user's answer was complete. */
  settledAt: number;
}

/**
 * Waits (at most `timeoutMs`) until every acknowledged user of the storm has the quiet answer, then
 * judges every user from the AiSensy sandbox's transcript (what reached WhatsApp) and our events table.
 */
export async function answersTo(
  system: ChaosSystem,
  storm: Storm,
  answer: string[],
  timeoutMs: number,
): Promise<Answered> {
  const expected = answer.join('\n');
  const deadline = Date.now() + timeoutMs;
  let settledAt = Date.now();
  for (;;) {
    const pending = [...storm.acknowledged.keys()].filter(
      (phone) => signatures(system, phone).join('\n') !== expected,
    );
    if (pending.length === 0 || Date.now() > deadline) break;
    await sleep(500);
    settledAt = Date.now();
  }
  // Anything still on its way arrives now: a late duplicate counts.
  await sleep(2_000);
  const verdict = { complete: 0, lost: 0, twice: 0, outOfOrder: 0, notApplied: 0, settledAt };
  for (const phone of storm.phones) {
    const got = signatures(system, phone);
    const acknowledged = storm.acknowledged.has(phone);
    if (got.length > answer.length || new Set(got).size < got.length) verdict.twice++;
    else if (got.join('\n') === expected) verdict.complete += acknowledged ? 1 : 0;
    else if (acknowledged && [...got].sort().join('\n') === [...answer].sort().join('\n'))
      verdict.outOfOrder++;
    else if (acknowledged) verdict.lost++;
  }
  const keys = [...storm.acknowledged.values()].map((wamid) => `wa:${wamid}`);
  const applied = keys.length
    ? await system.database.db
        .select({ key: events.dedupeKey, status: events.status })
        .from(events)
        .where(inArray(events.dedupeKey, keys))
    : [];
  verdict.notApplied = keys.length - applied.filter((row) => row.status === 'processed').length;
  return verdict;
}

function signatures(system: ChaosSystem, phone: string): string[] {
  return system.aisensy.outbound(phone).map((message) => JSON.stringify(message.content));
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}
