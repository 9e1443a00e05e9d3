import { createHmac, randomBytes } from 'node:crypto';

/**
 * `__EVENTVALIDATION` binds a postback to the page and session that rendered it, as ASP.NET does;
 * `__VIEWSTATE` is opaque to clients but carries the page name so it looks and sizes like the real thing.
 */
export class PageTokens {
  private readonly secret = randomBytes(32);

  eventValidation(sessionId: string, page: string): string {
    return createHmac('sha256', this.secret).update(`${sessionId}|${page}`).digest('base64');
  }

  isValid(sessionId: string, page: string, posted: unknown): boolean {
    return posted === this.eventValidation(sessionId, page);
  }

  viewState(page: string, step: string): string {
    return Buffer.from(`/wEPDwUK${page}|${step}|${randomBytes(24).toString('hex')}`).toString('base64');
  }
}
