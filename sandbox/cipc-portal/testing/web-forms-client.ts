import type { FastifyInstance } from 'fastify';

export interface PageResponse {
  status: number;
  location: string | undefined;
  body: string;
  raw: Buffer;
  contentType: string;
}

/**
 * A minimal "browser" over fastify.inject for HTTP-level tests: keeps the session cookie and posts
 * WebForms postbacks with the hidden fields of the last page it saw.
 */
export class WebFormsClient {
  private cookie = '';
  private lastPage = '';

  constructor(
    private readonly app: FastifyInstance,
    private readonly prefix: string,
  ) {}

  async get(page: string): Promise<PageResponse> {
    return this.record(
      await this.app.inject({
        method: 'GET',
        url: `${this.prefix}/${page}`,
        headers: { cookie: this.cookie },
      }),
    );
  }

  /**
   * Posts the current page's form: hidden fields from the last page, `fields` keyed by control id, and
   * `eventTarget` as __EVENTTARGET when a LinkButton (not a submit button) posts it.
   */
  async post(page: string, fields: Record<string, string>, eventTarget?: string): Promise<PageResponse> {
    const form = new URLSearchParams();
    for (const hidden of ['__EVENTTARGET', '__EVENTARGUMENT', '__VIEWSTATE', '__EVENTVALIDATION']) {
      form.set(hidden, this.hidden(hidden) ?? '');
    }
    if (eventTarget) form.set('__EVENTTARGET', `ctl00$cntMain$${eventTarget}`);
    for (const [id, value] of Object.entries(fields)) form.set(`ctl00$cntMain$${id}`, value);
    const response = await this.app.inject({
      method: 'POST',
      url: `${this.prefix}/${page}`,
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    return this.record(response);
  }

  hidden(name: string): string | undefined {
    return new RegExp(`id="${name}" value="([^"]*)"`).exec(this.lastPage)?.[1];
  }

  private record(response: Awaited<ReturnType<FastifyInstance['inject']>>): PageResponse {
    const setCookie = response.headers['set-cookie'];
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (first) this.cookie = first.split(';')[0] ?? '';
    const contentType = String(response.headers['content-type'] ?? '');
    if (contentType.startsWith('text/html')) this.lastPage = response.body;
    return {
      status: response.statusCode,
      location: response.headers.location as string | undefined,
      body: response.body,
      raw: response.rawPayload,
      contentType,
    };
  }
}

/** The text of the page's error label, if any. */
export function errorOf(html: string): string | undefined {
  return /id="cntMain_lblError"[^>]*>([^<]*)</.exec(html)?.[1]?.replace(/&#34;/g, '"').replace(/&#39;/g, "'");
}
