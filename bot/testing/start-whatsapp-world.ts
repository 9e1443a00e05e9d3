import Fastify from 'fastify';
import { createAisensySandbox } from '../../sandbox/aisensy/create-aisensy-sandbox.js';
import type { AisensySandboxKnobs } from '../../sandbox/aisensy/create-aisensy-world.js';
import { createAisensyClient } from '../aisensy/create-aisensy-client.js';
import { sandboxTemplates } from '../aisensy/sandbox-templates.js';
import type { AppDependencies } from '../build-app.js';
import { buildTestApp, testConfig } from './build-test-app.js';

/**
 * Our service listening on loopback with a fresh database, and the AiSensy sandbox (with the phone page)
 * wired to it both ways: the sandbox posts signed webhooks to us, our client sends to the sandbox.
 */
export async function startWhatsappWorld(
  options: { now?: () => Date; knobs?: Partial<AisensySandboxKnobs>; app?: Partial<AppDependencies> } = {},
) {
  const service = await buildTestApp(options.app);
  const serviceUrl = await service.app.listen({ host: '127.0.0.1', port: 0 });
  const aisensy = createAisensySandbox({
    projectId: testConfig.aisensy.projectId,
    projectApiPwd: testConfig.aisensy.projectApiPwd,
    apiKey: testConfig.aisensy.apiKey,
    webhookSecret: testConfig.aisensy.webhookSecret,
    webhookUrl: `${serviceUrl}/webhooks/aisensy`,
    templates: sandboxTemplates(),
    knobs: { webhookRetryDelayMs: 10, ...options.knobs },
    ...(options.now && { now: options.now }),
  });
  const provider = Fastify();
  await provider.register(aisensy.plugin, { prefix: '/sandbox/aisensy' });
  await provider.register(aisensy.phonePlugin);
  const providerUrl = await provider.listen({ host: '127.0.0.1', port: 0 });
  const client = createAisensyClient({
    ...testConfig.aisensy,
    apiUrl: `${providerUrl}/sandbox/aisensy`,
    campaignUrl: `${providerUrl}/sandbox/aisensy/campaign/t1/api/v2`,
  });
  return {
    ...service,
    serviceUrl,
    providerUrl,
    aisensy: aisensy.control,
    client,
    async close() {
      await provider.close();
      await service.close();
    },
  };
}
