import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { variables } from '../../config/variables.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * fly.toml read by a real TOML parser: Python's tomllib (3.11+, on every machine here). No TOML parser is
 * among our npm packages; smol-toml would be the one to add if Python ever is not there.
 */
function parseToml(path: string): unknown {
  const parsed = spawnSync(
    'python3',
    ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', path],
    { encoding: 'utf8' },
  );
  if (parsed.status !== 0) throw new Error(parsed.stderr);
  return JSON.parse(parsed.stdout);
}
const tomllib = spawnSync('python3', ['-c', 'import tomllib']).status === 0;

interface FlyToml {
  app: string;
  primary_region: string;
  build: { dockerfile: string; 'build-target': string };
  env: Record<string, string>;
  processes: Record<string, string>;
  http_service: {
    processes: string[];
    internal_port: number;
    force_https: boolean;
    checks: { path: string; method: string }[];
  };
  checks: Record<string, { processes: string[]; port: number; path: string }>;
  metrics: { processes: string[]; port: number; path: string }[];
  vm: { processes: string[] }[];
}

describe('fly.toml', {
  skip: !tomllib && 'python3 with tomllib (3.11+) is needed to parse TOML here',
}, () => {
  const fly = tomllib ? (parseToml(join(root, 'fly.toml')) as FlyToml) : ({} as FlyToml);
  const scripts = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;

  it('names the app and runs it in Johannesburg', () => {
    assert.equal(fly.app, 'cipc-agent');
    assert.equal(fly.primary_region, 'jnb');
  });

  it('runs the service and the worker as process groups, from npm scripts that exist', () => {
    assert.deepEqual(fly.processes, { app: 'npm run start:bot', worker: 'npm run start:worker' });
    for (const command of Object.values(fly.processes)) {
      assert.ok(scripts[command.replace('npm run ', '')], command);
    }
    assert.deepEqual(fly.vm.flatMap((vm) => vm.processes).sort(), ['app', 'worker']);
  });

  it('builds the worker image of the Dockerfile (Chromium and the workflow bundle)', () => {
    const dockerfile = readFileSync(join(root, fly.build.dockerfile), 'utf8');
    assert.match(dockerfile, new RegExp(`^FROM \\S+ AS ${fly.build['build-target']}$`, 'm'));
    assert.equal(fly.build['build-target'], 'worker');
  });

  it('serves HTTP from the service group only, checked at /api/v1/health on the port it listens on', () => {
    assert.deepEqual(fly.http_service.processes, ['app']);
    assert.equal(fly.http_service.internal_port, Number(fly.env.PORT));
    assert.equal(fly.http_service.force_https, true);
    assert.deepEqual(
      fly.http_service.checks.map((check) => [check.method, check.path]),
      [['GET', '/api/v1/health']],
    );
  });

  it('has Fly scrape /metrics of both groups, on the ports they serve it', () => {
    const byGroup = Object.fromEntries(fly.metrics.map((m) => [m.processes.join(), [m.port, m.path]]));
    assert.deepEqual(byGroup, {
      app: [Number(fly.env.PORT), '/metrics'],
      worker: [Number(fly.env.WORKER_METRICS_PORT), '/metrics'],
    });
    const workerCheck = Object.values(fly.checks).find((check) => check.processes.includes('worker'));
    assert.equal(workerCheck?.port, Number(fly.env.WORKER_METRICS_PORT));
  });

  it('sets only variables the configuration reads, production, and no secrets', () => {
    const known = new Set(variables.map((v) => v.name));
    assert.deepEqual(
      Object.keys(fly.env).filter((name) => !known.has(name)),
      [],
    );
    assert.equal(fly.env.NODE_ENV, 'production');
    const secrets = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'ENCRYPTION_KEY', 'ENCRYPTION_KEYS'].concat(
      variables.filter((v) => v.provider).map((v) => v.name),
    );
    assert.deepEqual(
      Object.keys(fly.env).filter((name) => secrets.includes(name)),
      [],
      'secrets are set with fly secrets',
    );
  });
});
