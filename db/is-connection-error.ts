/** postgres.js's own codes for a connection that broke or could not be made, and the socket errors under them. */
const CLIENT_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/**
 * Whether an error says the database could not be reached (a restart, a failover, a dropped
 * connection) rather than anything about the work itself: SQLSTATE class 08 (connection exception),
 * 57P01–57P03 (the server shutting down or starting), or postgres.js's connection codes. drizzle wraps
 * a query's error as its `cause`, so causes are followed. Work that failed this way should wait and be
 * tried again, never be marked as bad.
 */
export function isConnectionError(err: unknown): boolean {
  for (let cause = err, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (CLIENT_CODES.has(code) || /^08|^57P0[123]$/.test(code))) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
