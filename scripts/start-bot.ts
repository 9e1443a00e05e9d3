/**
 * `npm run start:bot`: the service alone (webhooks, pay pages, engine, outbox, reconciler), beside any
 * number of its replicas and filing workers (`npm run start:worker`). Outside production it serves the
 * sandbox of every provider without credentials under /sandbox/*, exactly as `npm start` does, so the
 * split shape runs on a laptop and in tests too; the workers reach those sandboxes at PUBLIC_BASE_URL.
 * Here, not in bot/, because bot/ never imports sandbox/.
 */

import { startBot } from '../bot/start-bot.js';
import { sandboxedProviders } from '../config/load-config.js';
import { mountSandboxes } from './mount-sandboxes.js';
import { startSplitProcess } from './start-split-process.js';

await startSplitProcess('service', async ({ config, database, temporalAddress }) => {
  const bot = await startBot({ config, database, temporalAddress, extraRoutes: mountSandboxes(config) });
  bot.app.log.info({ service: config.publicBaseUrl, temporal: temporalAddress }, 'service running');
  const sandboxed = sandboxedProviders(config);
  if (sandboxed.length > 0) {
    bot.app.log.warn(
      { providers: sandboxed, at: `${config.publicBaseUrl}/sandbox` },
      'no credentials for these providers: the sandbox stands in for them',
    );
  }
  return bot;
});
