/**
 * How the portal can fail a step, so activities classify errors in one place: the first three are
 * transient (retry with backoff), `PortalRejected` means a person must look at the data, `UnknownScreen`
 * that a person must look at the portal.
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
/**
 * The portal showed a screen the automation does not recognise (customer verification, a password reset,
 * a card gateway, an iXBRL upload, a changed layout): the visit stops there, before anything irreversible,
 * and a person looks. `screen` says in plain words what it looks like.
 */
export class UnknownScreen extends Error {
  override readonly name = 'UnknownScreen';
  constructor(
    readonly step: string,
    readonly screen: string,
  ) {
    super(`the portal showed ${screen} during ${step}`);
  }
}
