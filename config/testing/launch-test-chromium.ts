import { type Browser, chromium } from 'playwright';
import { CHROMIUM_ARGS } from '../chromium-args.js';
import { loadConfig } from '../load-config.js';

/** The Chromium the configuration names (CHROMIUM_PATH, else its default), with the filing worker's flags. */
export function launchTestChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: loadConfig({ CHROMIUM_PATH: process.env.CHROMIUM_PATH }).chromiumPath,
    args: [...CHROMIUM_ARGS],
  });
}
