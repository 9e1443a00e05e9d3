import { type Browser, chromium } from 'playwright';

/**
 * The system Chromium for the sandboxes' browser tests. sandbox/ stands in for outside services and
 * imports nothing of ours, so this repeats config/'s CHROMIUM_PATH default and CHROMIUM_ARGS: in a
 * sandboxed machine Chromium's background connections fail without these flags.
 */
export function launchTestChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
