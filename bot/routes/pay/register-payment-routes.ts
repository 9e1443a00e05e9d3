import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../../../config/load-config.js';
import type { Db } from '../../../db/create-database.js';
import { createOzowClient } from '../../payments/create-ozow-client.js';
import { payfastItnSettings } from '../../payments/payfast-itn-settings.js';
import { ozowWebhook } from '../webhooks/ozow.js';
import { payfastWebhook } from '../webhooks/payfast.js';
import { backgroundTasks } from './background-tasks.js';
import { payRoutes } from './pay-routes.js';

export interface PaymentRoutesDeps {
  db: Db;
  config: Config;
  logger: FastifyBaseLogger;
  /** Told when a `payment.confirmed` event is stored, so the engine applies it without waiting for a poll. */
  onEventStored?: (conversationId: string) => void;
}

/**
 * The pay page (`/pay/:token` and its PayFast, Ozow, return and cancel pages) and both payment webhooks.
 * In sandbox mode loopback is added to the PayFast source allowlist (see `payfastItnSettings`). Answers
 * `settled()`, which waits for ITN checks still running after their 200; the server also waits for them
 * when it closes.
 */
export async function registerPaymentRoutes(
  app: FastifyInstance,
  deps: PaymentRoutesDeps,
): Promise<{ settled: () => Promise<void> }> {
  const { db, config, logger, onEventStored } = deps;
  const tasks = backgroundTasks((err) =>
    logger.error({ err }, 'PayFast ITN check failed; reconciliation retries it'),
  );
  const ozow = createOzowClient(config.ozow);
  await app.register(payRoutes, { db, config, ozow });
  const { encryptionKeys } = app;
  await app.register(payfastWebhook, {
    db,
    encryptionKeys,
    ...payfastItnSettings(config),
    onEventStored,
    tasks,
  });
  await app.register(ozowWebhook, { db, encryptionKeys, ozow: config.ozow, client: ozow, onEventStored });
  app.addHook('onClose', async () => tasks.settled());
  return { settled: tasks.settled };
}
