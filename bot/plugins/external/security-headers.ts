import { createHash } from 'node:crypto';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { PAGE_STYLE } from '../../routes/pay/html-page.js';
import { PAYFAST_SUBMIT_SCRIPT } from '../../routes/pay/pay-page.js';

export interface SecurityHeadersOptions {
  /** HSTS and upgrade-insecure-requests only in production: elsewhere the service runs on plain http. */
  production: boolean;
  /** PAYFAST_URL: the one place the PayFast checkout page's form may post to. */
  payfastUrl: string;
}

type Directives = Record<string, string[]>;

/** A CSP source allowing exactly this inline script or style (its text as served, byte for byte). */
export function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const common: Directives = {
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

// Our own pages that load scripts and styles from files (the agent console, the phone simulator): same
// origin only, no inline code at all, fetch/SSE back to us only.
const filePages: Directives = {
  ...common,
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
};

// The pay pages are self-contained: one inline style, no scripts, nothing fetched.
function payPages(): Directives {
  return {
    ...common,
    'default-src': ["'none'"],
    'style-src': [sha256Source(PAGE_STYLE)],
    'form-action': ["'none'"],
  };
}

// Chrome and Safari apply form-action to every redirect that follows the form post too, and PayFast may
// move the buyer between its own hosts after /eng/process: those hosts are allowed beside PAYFAST_URL's.
const PAYFAST_HOSTS = ['https://*.payfast.co.za', 'https://*.payfast.io'];

// The PayFast checkout page: its inline submit script, and a form that posts only to PayFast.
function payfastCheckout(payfastUrl: string): Directives {
  const origin = new URL(payfastUrl).origin;
  return {
    ...payPages(),
    'script-src': [sha256Source(PAYFAST_SUBMIT_SCRIPT)],
    'form-action': [origin, ...PAYFAST_HOSTS.filter((host) => host !== origin)],
  };
}

// Where the phone simulator is mounted; every other /sandbox/* route stands in for an outside provider
// (PayFast's, Ozow's, the CIPC portal's pages), whose headers are the provider's business, not ours.
const PHONE_SIMULATOR = '/sandbox/phone';

function isProviderSandbox(url: string): boolean {
  return url.startsWith('/sandbox/') && url !== PHONE_SIMULATOR && !url.startsWith(`${PHONE_SIMULATOR}/`);
}

/**
 * @fastify/helmet on every response: a Content-Security-Policy, `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: strict-origin-when-cross-origin` (the pay pages tighten it to no-referrer: their URL
 * holds the pay token), `X-Frame-Options: DENY` beside `frame-ancestors 'none'`, and HSTS in production.
 * The default CSP allows no inline code, which the agent console and the phone simulator use none of; the
 * pay pages get a CSP each that allows exactly their inline style and script by sha256 hash, computed
 * here from the very text the pages embed, so a change to a page cannot silently loosen or break it.
 */
const securityHeaders: FastifyPluginAsync<SecurityHeadersOptions> = async (app, options) => {
  const upgrade: Directives = options.production ? { 'upgrade-insecure-requests': [] } : {};
  const csp = (directives: Directives) => ({
    contentSecurityPolicy: { useDefaults: false, directives: { ...directives, ...upgrade } },
  });
  const routePolicies: [(url: string) => boolean, Directives][] = [
    [(url) => url === '/pay/:token/payfast', payfastCheckout(options.payfastUrl)],
    [(url) => url.startsWith('/pay/'), payPages()],
  ];
  // Added before helmet's own onRoute hook, which turns a route's `helmet` option into its config.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (isProviderSandbox(route.url)) {
      route.helmet = false;
      return;
    }
    const policy = routePolicies.find(([matches]) => matches(route.url))?.[1];
    if (policy) route.helmet = csp(policy);
  });
  await app.register(helmet, {
    global: true,
    ...csp(filePages),
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  } satisfies FastifyHelmetOptions);
};

export default fp(securityHeaders, { name: 'security-headers' });
