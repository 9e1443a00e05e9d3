import { readFileSync } from 'node:fs';

/** The version in package.json, reported by health checks and workers. */
export const appVersion: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
