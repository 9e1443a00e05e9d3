import { after } from 'node:test';

/**
 * Every promise rejection left unhandled from now until the test ends (one would end the worker process),
 * for the test to assert there were none.
 */
export function collectUnhandledRejections(): unknown[] {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', record);
  after(() => process.off('unhandledRejection', record));
  return unhandled;
}
