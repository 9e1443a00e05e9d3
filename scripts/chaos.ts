/**
 * `npm run chaos`: the fault suite at the figures (`-- short` for the form `npm test` runs; a
 * further argument runs only the scenarios whose name contains it), on
 * loopback with its own PostgreSQL cluster and Temporal dev server. Prints one row per scenario and exits
 * non-zero when any failed. Needs root (PostgreSQL runs as the `postgres` user) and Chromium.
 */
import { cpus, loadavg } from 'node:os';
import { FULL, runChaos, SHORT } from './chaos/run-chaos.js';

const settings = process.argv[2] === 'short' ? SHORT : FULL;
const load = () => (loadavg()[0] ?? 0).toFixed(1);
const loadBefore = load();
const rows = await runChaos(settings, console.log, process.argv[3]);
console.log(
  `\nFault suite (${process.argv[2] === 'short' ? 'short form' : 'full'}; ${cpus().length} cores, load average ${loadBefore} before, ${load()} after)`,
);
console.table(rows.map((row) => ({ ...row, passed: row.passed ? 'yes' : 'NO' })));
process.exit(rows.every((row) => row.passed) ? 0 : 1);
