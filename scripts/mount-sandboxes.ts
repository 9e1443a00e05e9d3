import type { FastifyInstance } from 'fastify';
import { sandboxTemplates } from '../bot/aisensy/sandbox-templates.js';
import type { Config } from '../config/load-config.js';
import { createAisensySandbox } from '../sandbox/aisensy/create-aisensy-sandbox.js';
import { createCipcPortalSandbox } from '../sandbox/cipc-portal/create-cipc-portal-sandbox.js';
import { createOzowSandbox } from '../sandbox/ozow/create-ozow-sandbox.js';
import { createPayfastSandbox } from '../sandbox/payfast/create-payfast-sandbox.js';
import { createTwoCaptchaSandbox } from '../sandbox/twocaptcha/create-two-captcha-sandbox.js';

/**
 * The sandboxes standing in for every provider whose credentials are absent, mounted on the service's
 * own server under /sandbox/* (bot/ never imports sandbox/: the launcher joins them).
 */
export function mountSandboxes(config: Config): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    if (config.aisensy.mode === 'sandbox') {
      const aisensy = createAisensySandbox({
        projectId: config.aisensy.projectId,
        projectApiPwd: config.aisensy.projectApiPwd,
        apiKey: config.aisensy.apiKey,
        webhookUrl: `${config.publicBaseUrl}/webhooks/aisensy`,
        webhookSecret: config.aisensy.webhookSecret,
        templates: sandboxTemplates(),
      });
      await app.register(aisensy.plugin, { prefix: '/sandbox/aisensy' });
      await app.register(aisensy.phonePlugin);
    }
    if (config.payfast.mode === 'sandbox') {
      const payfast = createPayfastSandbox({ merchants: [config.payfast] });
      await app.register(payfast.plugin, { prefix: '/sandbox/payfast' });
    }
    if (config.ozow.mode === 'sandbox') {
      const ozow = createOzowSandbox({ sites: [config.ozow] });
      await app.register(ozow.plugin, { prefix: '/sandbox/ozow' });
    }
    if (config.cipc.mode === 'sandbox') {
      const portal = createCipcPortalSandbox({
        customers: [
          {
            code: config.cipc.customerCode,
            password: config.cipc.password,
            balanceCents: 5_000_000,
            email: 'filings@example.co.za',
          },
        ],
      });
      await app.register(portal.plugin, { prefix: '/sandbox/cipc' });
      if (config.twocaptcha.mode === 'sandbox') {
        const twocaptcha = createTwoCaptchaSandbox({
          apiKey: config.twocaptcha.apiKey,
          solve: (image) => portal.control.captchaAnswerFor(image),
        });
        await app.register(twocaptcha.plugin, { prefix: '/sandbox/2captcha' });
      }
    }
  };
}
