import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { encryptionKeys } from '../config/encryption-key.js';
import type { Config } from '../config/load-config.js';
import type { Database } from '../db/create-database.js';
import { createIdleReleaseSweeper } from './agent/conversations/create-idle-release-sweeper.js';
import { createAisensyClient } from './aisensy/create-aisensy-client.js';
import { type AppDependencies, buildApp } from './build-app.js';
import { createEngine } from './engine/create-engine.js';
import { createUnfiledOrderSweeper } from './filings/create-unfiled-order-sweeper.js';
import { createOutboxDispatcher } from './outbox/create-outbox-dispatcher.js';
import { createPaymentReconciler } from './payments/create-payment-reconciler.js';
import { createRetentionJob } from './retention/create-retention-job.js';

export interface RunningBot {
  app: FastifyInstance;
  url: string;
  /** Stops taking requests, lets in-flight ones finish, drains the engine and outbox, closes Temporal. */
  stop(): Promise<void>;
}

export async function startBot(options: {
  config: Config;
  database: Database;
  temporalAddress: string;
  extraRoutes?: AppDependencies['extraRoutes'];
  /** Default: the service's logger options (config/logging); a test passes a stream to read the log. */
  logger?: AppDependencies['logger'];
}): Promise<RunningBot> {
  const { config, database } = options;
  // Lazy: the service starts (and reports Temporal unhealthy) while Temporal is down; work waits in the outbox.
  const temporal = Connection.lazy({ address: options.temporalAddress });
  let engine: ReturnType<typeof createEngine> | undefined;
  const keys = encryptionKeys(config);
  const app = await buildApp({
    config,
    db: database.db,
    encryptionKeys: keys,
    temporal,
    engine: { kick: (conversationId) => engine?.kick(conversationId) ?? Promise.resolve() },
    extraRoutes: options.extraRoutes,
    logger: options.logger,
  });
  const logger = app.log as unknown as Logger;
  const temporalClient = new Client({ connection: temporal, namespace: config.temporal.namespace });
  const dispatcher = createOutboxDispatcher({
    db: database.db,
    aisensy: createAisensyClient(config.aisensy),
    temporal: temporalClient,
    logger,
    encryptionKeys: keys,
  });
  engine = createEngine({
    db: database.db,
    logger,
    serviceFeeCents: config.serviceFeeCents,
    publicBaseUrl: config.publicBaseUrl,
    encryptionKeys: keys,
    payTokenTtlMs: config.payTokenTtlMs,
    onApplied: () => dispatcher.kick(),
  });
  const reconciler = createPaymentReconciler({
    db: database.db,
    encryptionKeys: keys,
    config,
    logger,
    onEventStored: (conversationId) => void engine?.kick(conversationId),
  });
  const unfiledOrders = createUnfiledOrderSweeper({
    db: database.db,
    temporal: temporalClient,
    logger,
    registry: app.metrics,
  });
  const retention = createRetentionJob({ db: database.db, config, logger });
  const idleHolds = createIdleReleaseSweeper({
    db: database.db,
    keys,
    logger,
    idleMs: config.agentIdleMs,
    onEventStored: (conversationId) => void engine?.kick(conversationId),
  });
  const address = await app.listen({ port: config.port, host: config.host });
  engine.start();
  dispatcher.start();
  reconciler.start();
  unfiledOrders.start();
  retention.start();
  idleHolds.start();
  return {
    app,
    url: address,
    async stop() {
      await app.close();
      await reconciler.stop();
      await unfiledOrders.stop();
      await retention.stop();
      await idleHolds.stop();
      await engine?.stop();
      await dispatcher.stop();
      await temporal.close();
    },
  };
}
