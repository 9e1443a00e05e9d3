/**
 * Flags for every Chromium we launch, the filing worker's and the tests'. In a sandboxed machine
 * Chromium's background connections (component updates, sync, other calls home) fail, and it has no GPU
 * and no room for its own sandbox; without these flags it does not run there.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
