import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../config/load-config.js';
import { createDatabase } from '../../db/create-database.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import { startFilingWorker } from '../../filing-worker/start-filing-worker.js';
import { buildApp } from '../build-app.js';

const address = process.env.TEST_TEMPORAL_ADDRESS;
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

describe('GET /api/v1/health', { skip: !address && 'no TEST_TEMPORAL_ADDRESS' }, () => {
  let database: TestDatabase;
  let temporal: Connection;
  before(async () => {
    database = await createTestDatabase();
    temporal = await Connection.connect({ address });
  });
  after(async () => {
    await temporal.close();
    await database.close();
  });

  it('is 200 with the database, Temporal and a polling filing worker all healthy', async () => {
    const filingTaskQueue = `health-${randomUUID()}`;
    const worker = await startFilingWorker({
      temporalAddress: address as string,
      namespace: 'default',
      taskQueue: filingTaskQueue,
      config,
      db: database.db,
    });
    after(() => worker.stop());
    const app = await buildApp({ config, db: database.db, temporal, filingTaskQueue, logger: false });
    after(() => app.close());
    // A fresh worker's first poll reaches the server within moments; wait for it rather than guess.
    let response = await app.inject('/api/v1/health');
    for (let i = 0; i < 50 && response.statusCode !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      response = await app.inject('/api/v1/health');
    }
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.status, 'healthy');
    assert.deepEqual(Object.keys(body.services).sort(), ['database', 'filingWorker', 'temporal']);
    assert.match(body.version, /^\d+\.\d+\.\d+$/);
    assert.ok(!Number.isNaN(Date.parse(body.timestamp)));
    assert.ok(response.headers['x-request-id']);
  });

  it('is 503 naming the filing worker when no worker polls its queue', async () => {
    const app = await buildApp({
      config,
      db: database.db,
      temporal,
      filingTaskQueue: `nobody-${randomUUID()}`,
      logger: false,
    });
    after(() => app.close());
    const response = await app.inject('/api/v1/health');
    assert.equal(response.statusCode, 503);
    const body = response.json();
    assert.equal(body.status, 'unhealthy');
    assert.equal(body.services.filingWorker.status, 'unhealthy');
    assert.match(body.services.filingWorker.error, /no worker is polling/);
    assert.equal(body.services.database.status, 'healthy');
    assert.equal(body.services.temporal.status, 'healthy');
  });

  it('is 503 naming the database when it is unreachable', async () => {
    const unreachable = await createDatabase({ url: 'postgres://postgres@127.0.0.1:1/nothing' });
    after(() => unreachable.close());
    const app = await buildApp({ config, db: unreachable.db, temporal, logger: false });
    after(() => app.close());
    const response = await app.inject('/api/v1/health');
    assert.equal(response.statusCode, 503);
    const body = response.json();
    assert.equal(body.services.database.status, 'unhealthy');
    assert.equal(body.services.temporal.status, 'healthy');
  });

  it('is 503 naming Temporal when it is unreachable', async () => {
    const nowhere = Connection.lazy({ address: '127.0.0.1:1' });
    const app = await buildApp({ config, db: database.db, temporal: nowhere, logger: false });
    after(() => app.close());
    const response = await app.inject('/api/v1/health');
    assert.equal(response.statusCode, 503);
    const body = response.json();
    assert.equal(body.services.temporal.status, 'unhealthy');
    assert.equal(body.services.database.status, 'healthy');
  });
});

describe('GET /metrics', () => {
  it('answers Prometheus text with defaults and the request duration histogram by route', async () => {
    const database = await createTestDatabase();
    after(() => database.close());
    const app = await buildApp({
      config,
      db: database.db,
      temporal: Connection.lazy({ address: '127.0.0.1:1' }),
      logger: false,
    });
    after(() => app.close());
    await app.inject('/api/v1/health');
    await app.inject('/no/such/route');
    const response = await app.inject('/metrics');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain/);
    assert.match(response.body, /process_cpu_user_seconds_total/);
    assert.match(
      response.body,
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/health",status_code="503"\} 1/,
    );
    assert.match(response.body, /route="unmatched",status_code="404"/);
  });
});
