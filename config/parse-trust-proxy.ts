import { isIP } from 'node:net';

/** What Fastify's `trustProxy` option takes from TRUST_PROXY (false: X-Forwarded-* ignored). */
export type TrustProxy = boolean | string[];

// proxy-addr's names for private ranges: 127.0.0.1/8 and ::1; 169.254.0.0/16 and fe80::/10;
// 10/8, 172.16/12, 192.168/16 and fc00::/7.
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function entryProblem(entry: string): string | undefined {
  if (entry === '') return 'an entry is empty';
  if (NAMED_RANGES.includes(entry)) return undefined;
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || isIP(address) === 0) return `${JSON.stringify(entry)} is not an IP address or CIDR`;
  if (prefix === undefined) return undefined;
  const max = isIP(address) === 6 ? 128 : 32;
  return /^\d+$/.test(prefix) && Number(prefix) <= max
    ? undefined
    : `${JSON.stringify(entry)} has a prefix length outside 0..${max}`;
}

/**
 * Reads TRUST_PROXY: a comma-separated list of the proxies' IPs, CIDRs or proxy-addr's range names
 * (`loopback`, `linklocal`, `uniquelocal`), or `true` (every hop is a proxy: only behind a proxy that
 * overwrites X-Forwarded-For). `false` is the same as unset. A hop count is refused: Fastify 5.12.1 and
 * later ignore hop counts (they cannot tell the proxy from a client that forged the header), so a count
 * would silently mean "trust nothing". Anything else is a problem, not a guess: a typo here would let a
 * client choose the address the PayFast source check sees.
 */
export function parseTrustProxy(raw: string): { value: TrustProxy } | { problem: string } {
  const text = raw.trim();
  if (text === 'true') return { value: true };
  if (text === 'false') return { value: false };
  const expected = 'must be true or the proxies as comma-separated IPs/CIDRs';
  if (/^\d+$/.test(text)) {
    return { problem: `${expected}: hop counts are not honoured by Fastify (list the proxies' addresses)` };
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const problem = entries.map(entryProblem).find(Boolean);
  return problem ? { problem: `${expected}: ${problem}` } : { value: entries };
}
