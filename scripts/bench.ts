/**
 * `npm run bench`: the figures the issues ask for, printed. Needs PostgreSQL: BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. Never fails on timing.
 */
import { benchWebhooks } from './bench-webhooks.js';

process.env.TEST_DATABASE_URL ??=
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const only = process.argv[2];
if (!only || only === 'webhooks') await benchWebhooks();
if (!only || only === 'filing') await (await import('./bench-filing.js')).benchFiling();
process.exit(0);
