import { createHmac, randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config/load-config.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import { type AppDependencies, buildApp } from '../build-app.js';

export const testConfig = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  PUBLIC_BASE_URL: 'http://bot.test',
  // Tests send from one address far faster than anyone would; the limits' own tests turn them on.
  RATE_LIMITS: 'false',
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
});

/** The service on a fresh test database; Temporal points nowhere unless a test passes one. */
export async function buildTestApp(
  overrides: Partial<AppDependencies> = {},
): Promise<{ app: FastifyInstance; database: TestDatabase; close: () => Promise<void> }> {
  const database = await createTestDatabase();
  const app = await buildApp({
    config: testConfig,
    db: database.db,
    temporal: Connection.lazy({ address: '127.0.0.1:1' }),
    logger: false,
    ...overrides,
  });
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export function signAisensy(body: string, secret = testConfig.aisensy.webhookSecret): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

let sequence = 0;
/**
 * A user's text message in the shape AiSensy really posts it (bot/aisensy/fixtures/inbound/user-text.json):
 * ISO `created_at`, `delivery_attempt` as a string, times in milliseconds, nulls where AiSensy sends them.
 */
export function userTextEnvelope(
  phone: string,
  text: string,
  overrides: { messageId?: string; id?: string } = {},
) {
  sequence++;
  const now = Date.now();
  return {
    id: overrides.id ?? `env-${sequence}-${now}`,
    created_at: new Date(now).toISOString(),
    topic: 'message.sender.user',
    project_id: testConfig.aisensy.projectId,
    delivery_attempt: '1',
    data: {
      message: {
        type: 'message',
        id: `m-${sequence}`,
        phone_number: phone.replace(/^\+/, ''),
        userName: 'Thandi',
        sender: 'USER',
        messageId: overrides.messageId ?? `wamid.test${sequence}${now}`,
        message_type: 'TEXT',
        message_content: { text },
        status: 'DELIVERED',
        sent_at: now,
        delivered_at: now,
        read_at: null,
        failureResponse: null,
        context: null,
      },
    },
  };
}

export async function postAisensy(app: FastifyInstance, envelope: unknown, signature?: string) {
  const body = JSON.stringify(envelope);
  return app.inject({
    method: 'POST',
    url: '/webhooks/aisensy',
    headers: { 'content-type': 'application/json', 'x-aisensy-signature': signature ?? signAisensy(body) },
    payload: body,
  });
}
