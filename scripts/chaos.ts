/**
 * `npm run chaos`: the fault suite at the issue's figures (`-- short` for the form `npm test` runs; a
 * further argument, a regular expression, runs only the scenarios whose name it matches), on
 * loopback with its own PostgreSQL cluster and Temporal dev server. Prints one row per scenario and exits
 * non-zero when any failed. Needs root (PostgreSQL runs as the `postgres` user) and Chromium.
 */
import { cpus, loadavg } from 'node:os';
import { FULL, runChaos, SHORT } from './chaos/run-chaos.js';

const base = process.argv[2] === 'short' ? SHORT : FULL;
// Any figure can be changed from the environment: CHAOS_OUTAGE_SECONDS=20, CHAOS_BULK_FILINGS=50, ...
const settings = Object.fromEntries(
  Object.entries(base).map(([name, value]) => {
    const variable = `CHAOS_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    return [name, process.env[variable] ? Number(process.env[variable]) : value];
  }),
) as typeof base;
const load = () => (loadavg()[0] ?? 0).toFixed(1);
const loadBefore = load();
const rows = await runChaos(settings, console.log, process.argv[3]);
console.log(
  `\nFault suite (${process.argv[2] === 'short' ? 'short form' : 'full'}, ${JSON.stringify(settings)}; ${cpus().length} cores, load average ${loadBefore} before, ${load()} after)`,
);
console.table(rows.map((row) => ({ ...row, passed: row.passed ? 'yes' : 'NO' })));
process.exit(rows.every((row) => row.passed) ? 0 : 1);
