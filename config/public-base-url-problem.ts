import { BlockList, isIP } from 'node:net';

/** The only ports PayFast posts ITNs to (PayFast developer docs, "Ports & IPs"); '' is the scheme's default. */
const NOTIFIED_PORTS = new Set(['', '443', '80', '8080', '8081']);

// Addresses nobody outside can reach: loopback, private, shared (CGNAT), link-local, unspecified, ULA.
const UNREACHABLE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  UNREACHABLE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  UNREACHABLE.addSubnet(network, prefix, 'ipv6');
}

// Names that never resolve on the public internet: RFC 6761/6762 special-use and ICANN's private-use .internal.
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|test|example|invalid|home\.arpa)$/;

function unreachableHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(host);
  if (family === 4) return UNREACHABLE.check(host, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1];
    return mapped ? UNREACHABLE.check(mapped, 'ipv4') : UNREACHABLE.check(host, 'ipv6');
  }
  return !host.includes('.') || PRIVATE_NAME.test(host.replace(/\.$/, ''));
}

/**
 * What is wrong with PUBLIC_BASE_URL for production, if anything. Providers call back at this address
 * (PayFast's notify_url, Ozow's NotifyUrl) and owners open links on it, so it must be https, reachable from
 * the internet, and on a port PayFast notifies: an ITN sent anywhere else never arrives, and PayFast gives
 * up on it without telling us.
 */
export function publicBaseUrlProblem(value: string): string | undefined {
  const url = new URL(value);
  if (url.protocol !== 'https:') return `must be an https URL in production (got ${JSON.stringify(value)})`;
  if (unreachableHost(url.hostname)) {
    return `must be a public address in production, not ${url.hostname} (got ${JSON.stringify(value)})`;
  }
  if (!NOTIFIED_PORTS.has(url.port)) {
    return `must use port 443, 80, 8080 or 8081 in production: PayFast notifies no other port (got ${JSON.stringify(value)})`;
  }
  return undefined;
}
