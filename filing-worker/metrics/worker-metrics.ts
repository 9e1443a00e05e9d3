import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const registry = new Registry();
collectDefaultMetrics({ register: registry });

/**
 * The filing worker's Prometheus metrics, one set per process (`serveWorkerMetrics` exposes them on
 * WORKER_METRICS_PORT). Module-wide so a captcha client or a page visit counts with one line and no
 * plumbing; several workers in one process (tests) add to the same series, which is what a process-level
 * exposition means anyway.
 */
export const workerMetrics = {
  registry,
  filingsFinished: new Counter({
    name: 'filings_finished_total',
    help: 'Filings that reached an end, by outcome (filed, failed, cancelled)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  filingDuration: new Histogram({
    name: 'filing_duration_seconds',
    help: 'From the filing workflow starting to its end, by outcome (waits for a person included)',
    labelNames: ['outcome'] as const,
    buckets: [60, 180, 300, 600, 1800, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400],
    registers: [registry],
  }),
  portalErrors: new Counter({
    name: 'portal_errors_total',
    help: 'Errors during a CIPC portal visit, by the last step it confirmed and the error name',
    labelNames: ['step', 'error'] as const,
    registers: [registry],
  }),
  captchaSolveSeconds: new Histogram({
    name: 'captcha_solve_seconds',
    help: 'Time 2Captcha took to read one security code (task created to answer ready)',
    buckets: [5, 10, 15, 20, 30, 45, 60, 90, 120, 180],
    registers: [registry],
  }),
  captchaNoSlotRetries: new Counter({
    name: 'captcha_no_slot_retries_total',
    help: '2Captcha createTask calls answered ERROR_NO_SLOT_AVAILABLE (each waits and tries again)',
    registers: [registry],
  }),
  captchaWrongAnswers: new Counter({
    name: 'captcha_wrong_answers_total',
    help: '2Captcha readings the portal refused (the login tries again with a new code)',
    registers: [registry],
  }),
  captchaCostUsd: new Counter({
    name: 'captcha_cost_usd_total',
    help: 'What 2Captcha charged for the codes it read, in USD (its getTaskResult cost)',
    registers: [registry],
  }),
  captchaBalanceUsd: new Gauge({
    name: 'captcha_balance_usd',
    help: 'The 2Captcha account balance in USD at the last check (start and every 15 minutes)',
    registers: [registry],
  }),
  cipcBalanceCents: new Gauge({
    name: 'cipc_prepaid_balance_cents',
    help: "Our CIPC customer code's prepaid balance in cents, read on the portal's home page at each filing visit",
    registers: [registry],
  }),
};
