import { setTimeout as sleep } from 'node:timers/promises';
import { type FiledBatch, fileBatch } from './filing-batch.js';
import { type Answered, answersTo, messageStorm, percentile, quietAnswer } from './message-storm.js';
import { type RunningPart, startChaosSystem } from './start-chaos-system.js';

export interface ChaosSettings {
  /** How long AiSensy answers 5xx. */
  outageSeconds: number;
  /** Messages per storm, and their rate per second. */
  stormMessages: number;
  stormRate: number;
  /** AiSensy's time per call in the slow scenario. */
  slowCallMs: number;
  /** Filings in flight when the worker is killed. */
  killedFilings: number;
  /** Paid orders at once (0: skip). */
  bulkFilings: number;
  /** Messages and filings for each side of the scale-out comparison (0: skip). */
  scaleOutMessages: number;
  scaleOutFilings: number;
  filingConcurrency: number;
  /**
   * The quiet webhook p99 is taken as at least this many ms when judging "within 2×": with 30 requests
   * the p99 is the slowest one, and one scheduling hiccup of a busy test run is not a regression.
   */
  quietP99FloorMs: number;
}

/** The figures (`npm run chaos`). */
export const FULL: ChaosSettings = {
  outageSeconds: 60,
  stormMessages: 300,
  stormRate: 30,
  slowCallMs: 5_000,
  killedFilings: 4,
  bulkFilings: 200,
  scaleOutMessages: 600,
  scaleOutFilings: 24,
  filingConcurrency: 4,
  quietP99FloorMs: 0,
};

/** The short form `npm test` runs: every invariant, fewer messages, shorter outages, no throughput runs. */
export const SHORT: ChaosSettings = {
  outageSeconds: 8,
  stormMessages: 30,
  stormRate: 15,
  slowCallMs: 5_000,
  killedFilings: 1,
  bulkFilings: 0,
  scaleOutMessages: 0,
  scaleOutFilings: 0,
  filingConcurrency: 2,
  quietP99FloorMs: 50,
};

export interface ChaosRow {
  scenario: string;
  load: string;
  figures: string;
  passed: boolean;
}

const MINUTE = 60_000;

/**
 * The fault suite: starts its own system (`startChaosSystem`), learns the quiet answer to "hi", then runs
 * each scenario in turn, each bounded in time, and answers one row per scenario. A scenario that throws
 * is a failed row, and the next one still runs.
 */
export async function runChaos(
  settings: ChaosSettings,
  log: (line: string) => void = console.log,
  only?: string,
): Promise<ChaosRow[]> {
  const system = await startChaosSystem({ filingConcurrency: settings.filingConcurrency });
  const rows: ChaosRow[] = [];
  try {
    const bots: RunningPart[] = [await system.startBot()];
    const workers: RunningPart[] = [await system.startWorker()];
    const workerPids = () => workers.map((w) => w.script.child.pid as number);
    const answer = await quietAnswer(system);
    log(`quiet answer to "hi": ${answer.length} message(s)`);
    const storm = () => messageStorm(system, settings.stormMessages, settings.stormRate);
    const stormLoad = `${settings.stormMessages} users say "hi" at ${settings.stormRate}/s`;
    const stormSeconds = settings.stormMessages / settings.stormRate;

    const scenarios: [string, () => Promise<Omit<ChaosRow, 'scenario'>>][] = [
      [
        `AiSensy answers 5xx for ${settings.outageSeconds} s, then recovers`,
        async () => {
          const recovers = Date.now() + settings.outageSeconds * 1000;
          system.aisensyFaults.set({ failingUntil: recovers });
          const sent = await storm();
          const answered = await answersTo(system, sent, answer, settings.outageSeconds * 1000 + 5 * MINUTE);
          return judged(stormLoad, sent.acknowledged.size, answered, [
            `all answered ${((answered.settledAt - recovers) / 1000).toFixed(1)} s after recovery`,
          ]);
        },
      ],
      [
        `AiSensy takes ${settings.slowCallMs / 1000} s per call`,
        async () => {
          const quiet = await storm();
          await answersTo(system, quiet, answer, 2 * MINUTE);
          system.aisensyFaults.set({ delayMs: settings.slowCallMs });
          const slow = await storm();
          system.aisensyFaults.set({ delayMs: 0 });
          const answered = await answersTo(system, slow, answer, 3 * MINUTE);
          const quietP99 = percentile(quiet.latenciesMs, 99);
          const slowP99 = percentile(slow.latenciesMs, 99);
          const verdict = judged(stormLoad, slow.acknowledged.size, answered, [
            `webhook p99 quiet ${quietP99.toFixed(0)} ms, slow ${slowP99.toFixed(0)} ms (${(slowP99 / quietP99).toFixed(2)}×)`,
          ]);
          return {
            ...verdict,
            passed: verdict.passed && slowP99 <= 2 * Math.max(quietP99, settings.quietP99FloorMs),
          };
        },
      ],
      [
        'PostgreSQL restarted during a message storm',
        async () => {
          const sending = storm();
          await sleep((stormSeconds * 1000) / 3);
          const restartStarted = Date.now();
          await system.cluster.restart();
          const restartMs = Date.now() - restartStarted;
          const sent = await sending;
          const answered = await answersTo(system, sent, answer, 3 * MINUTE);
          return judged(stormLoad, sent.acknowledged.size, answered, [`restart took ${restartMs} ms`]);
        },
      ],
      [
        'the service killed (SIGKILL) during a storm, restarted',
        async () => {
          const sending = storm();
          await sleep((stormSeconds * 1000) / 3);
          const [bot] = bots.splice(0, 1) as [RunningPart];
          await bot.script.stop('SIGKILL');
          const down = Date.now();
          bots.push(await system.startBot(bot.port));
          const downMs = Date.now() - down;
          const sent = await sending;
          const answered = await answersTo(system, sent, answer, 3 * MINUTE);
          return judged(stormLoad, sent.acknowledged.size, answered, [
            `service down ${(downMs / 1000).toFixed(1)} s`,
          ]);
        },
      ],
      [
        'the worker killed (SIGKILL) mid-filing, during pay',
        async () => {
          // The portal commits a payment, then takes 3 s to confirm it: the kill lands in between.
          system.portal.setFaults({ confirmationDelayMs: 3_000 });
          const paidBefore = system.portal.filings().length;
          let killed = false;
          const killer = (async () => {
            const deadline = Date.now() + 5 * MINUTE;
            while (system.portal.filings().length === paidBefore && Date.now() < deadline) await sleep(50);
            for (const worker of workers.splice(0)) await worker.script.stop('SIGKILL');
            killed = true;
            workers.push(await system.startWorker());
          })();
          const batch = await fileBatch(system, settings.killedFilings, {
            timeoutMs: 8 * MINUTE,
            workerPids,
          });
          await killer;
          system.portal.resetFaults();
          return {
            load: `${settings.killedFilings} paid order(s), worker killed once the portal took a payment`,
            figures: [killed ? 'killed during pay' : 'never paid', ...batchFigures(batch)].join('; '),
            passed: killed && batch.wrong.length === 0,
          };
        },
      ],
    ];
    if (settings.bulkFilings > 0) {
      scenarios.push([
        `${settings.bulkFilings} paid orders at once`,
        async () => {
          const batch = await fileBatch(system, settings.bulkFilings, { timeoutMs: 60 * MINUTE, workerPids });
          const perMinute = (batch.orders / batch.wallMs) * MINUTE;
          return {
            load: `one worker, FILING_CONCURRENCY=${settings.filingConcurrency}`,
            figures: batchFigures(batch).join('; '),
            passed: batch.wrong.length === 0 && perMinute >= 15 && batch.peak.pssKb <= 2 * 1024 * 1024,
          };
        },
      ]);
    }
    if (settings.scaleOutMessages > 0) {
      scenarios.push([
        'scale-out: 2 services + 2 workers against 1 + 1',
        async () => {
          const measure = async () => {
            const sent = await messageStorm(system, settings.scaleOutMessages, 10_000);
            const answered = await answersTo(system, sent, answer, 10 * MINUTE);
            const messagesPerSecond = (sent.acknowledged.size / (answered.settledAt - sent.startedAt)) * 1000;
            const batch = await fileBatch(system, settings.scaleOutFilings, {
              timeoutMs: 30 * MINUTE,
              workerPids,
            });
            return {
              answered,
              messagesPerSecond,
              batch,
              filingsPerMinute: (batch.orders / batch.wallMs) * MINUTE,
            };
          };
          const one = await measure();
          bots.push(await system.startBot());
          workers.push(await system.startWorker());
          const two = await measure();
          const clean = [one, two].every(
            (side) => side.answered.twice + side.answered.lost === 0 && side.batch.wrong.length === 0,
          );
          return {
            load: `${settings.scaleOutMessages} users at once, then ${settings.scaleOutFilings} paid orders; each side`,
            figures: [
              `messages/s ${one.messagesPerSecond.toFixed(0)} → ${two.messagesPerSecond.toFixed(0)} (${(two.messagesPerSecond / one.messagesPerSecond).toFixed(2)}×)`,
              `filings/min ${one.filingsPerMinute.toFixed(1)} → ${two.filingsPerMinute.toFixed(1)} (${(two.filingsPerMinute / one.filingsPerMinute).toFixed(2)}×)`,
              `twice ${one.answered.twice + two.answered.twice}, lost ${one.answered.lost + two.answered.lost}, filings wrong ${one.batch.wrong.length + two.batch.wrong.length}`,
            ].join('; '),
            passed: clean,
          };
        },
      ]);
    }

    for (const [scenario, run] of scenarios.filter(([name]) => !only || new RegExp(only, 'i').test(name))) {
      log(`chaos: ${scenario} ...`);
      const started = Date.now();
      try {
        const row = { scenario, ...(await run()) };
        row.figures += `; ${((Date.now() - started) / 1000).toFixed(0)} s`;
        rows.push(row);
      } catch (err) {
        rows.push({
          scenario,
          load: '',
          figures: `threw: ${err instanceof Error ? err.message : err}`,
          passed: false,
        });
      }
      log(`chaos: ${JSON.stringify(rows.at(-1))}`);
      if (!rows.at(-1)?.passed) {
        for (const part of [...bots, ...workers]) {
          log(`last output of process ${part.script.child.pid}:\n${part.script.output().slice(-4000)}`);
        }
      }
    }
    return rows;
  } finally {
    await system.close();
  }
}

function judged(
  load: string,
  acknowledged: number,
  answered: Answered,
  extra: string[],
): Omit<ChaosRow, 'scenario'> {
  return {
    load,
    figures: [
      `acknowledged ${acknowledged}, answered ${answered.complete}`,
      `lost ${answered.lost}, twice ${answered.twice}, out of order ${answered.outOfOrder}, not applied ${answered.notApplied}`,
      ...extra,
    ].join('; '),
    passed:
      answered.complete === acknowledged &&
      answered.lost + answered.twice + answered.outOfOrder + answered.notApplied === 0,
  };
}

function batchFigures(batch: FiledBatch): string[] {
  return [
    `${batch.orders} filed in ${(batch.wallMs / 1000).toFixed(0)} s (${((batch.orders / batch.wallMs) * MINUTE).toFixed(1)}/min)`,
    `peak PSS ${Math.round(batch.peak.pssKb / 1024)} MB (RSS ${Math.round(batch.peak.rssKb / 1024)} MB)`,
    batch.wrong.length === 0 ? 'every year paid once' : `WRONG: ${batch.wrong.slice(0, 5).join(', ')}`,
  ];
}
