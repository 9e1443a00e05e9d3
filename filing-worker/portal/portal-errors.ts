/**
 * How the portal can fail a step, so activities classify errors in one place: the first three are
 * transient (retry with backoff), `PortalRejected` means a person must look at the data.
 */
export class PortalUnavailable extends Error {
  override readonly name = 'PortalUnavailable';
}
export class PortalServerError extends Error {
  override readonly name = 'PortalServerError';
}
export class SessionExpired extends Error {
  override readonly name = 'SessionExpired';
}
export class PortalRejected extends Error {
  override readonly name = 'PortalRejected';
}
