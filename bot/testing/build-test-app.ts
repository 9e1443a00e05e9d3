import { createHmac } from 'node:crypto';
import { Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config/load-config.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import { type AppDependencies, buildApp } from '../build-app.js';

export const testConfig = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  PUBLIC_BASE_URL: 'http://bot.test',
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
/** A user's text message as AiSensy posts it. */
export function userTextEnvelope(
  phone: string,
  text: string,
  overrides: { messageId?: string; id?: string } = {},
) {
  sequence++;
  return {
    id: overrides.id ?? `env-${sequence}-${Date.now()}`,
    created_at: Date.now(),
    topic: 'message.sender.user',
    project_id: testConfig.aisensy.projectId,
    delivery_attempt: 1,
    data: {
      message: {
        id: `m-${sequence}`,
        phone_number: phone.replace(/^\+/, ''),
        userName: 'Thandi',
        sender: 'USER',
        messageId: overrides.messageId ?? `wamid.test${sequence}${Date.now()}`,
        message_type: 'TEXT',
        message_content: { text },
        timestamp: Math.floor(Date.now() / 1000),
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
