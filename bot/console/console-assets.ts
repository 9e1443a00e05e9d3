import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface ConsoleAsset {
  body: Buffer;
  type: string;
  /** The first characters of the content's SHA-256: in the URL, so a changed file is a new URL. */
  version: string;
}

const resolve = createRequire(import.meta.url).resolve;
const own = (file: string) => fileURLToPath(new URL(`./assets/${file}`, import.meta.url));

const FILES: Record<string, { path: string; type: string }> = {
  'htmx.min.js': { path: resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'sse.js': { path: resolve('htmx-ext-sse/dist/sse.min.js'), type: 'text/javascript; charset=utf-8' },
  'console.js': { path: own('console.js'), type: 'text/javascript; charset=utf-8' },
  'console.css': { path: own('console.css'), type: 'text/css; charset=utf-8' },
};

/**
 * The console's scripts and stylesheet, read once at start: htmx and its SSE extension straight from
 * node_modules (no build step), our own two files from `assets/`. Served with a year's caching under
 * versioned URLs.
 */
export const CONSOLE_ASSETS: ReadonlyMap<string, ConsoleAsset> = new Map(
  Object.entries(FILES).map(([name, { path, type }]) => {
    const body = readFileSync(path);
    return [name, { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) }];
  }),
);

export function assetUrl(name: string): string {
  const asset = CONSOLE_ASSETS.get(name);
  if (!asset) throw new Error(`no console asset ${name}`);
  return `/agent/assets/${name}?v=${asset.version}`;
}
