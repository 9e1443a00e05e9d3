import { BlockList, isIP } from 'node:net';

/** Every address a host name resolves to (A and AAAA); injected so this module does no I/O itself. */
export type ResolveHost = (host: string) => Promise<string[]>;

/** The answer of the source check; `failedLookups` says why a host name could not vouch for the source. */
export type SourceCheck = { allowed: true } | { allowed: false; failedLookups: string[] };

const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');
// A zone id (fe80::1%eth0) says which interface, not which host.
const withoutZone = (ip: string) => ip.replace(/%.*$/, '');

function addEntry(list: BlockList, entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const ip = withoutZone(address);
  if (rest.length > 0 || isIP(ip) === 0) return false;
  if (prefix === undefined) {
    list.addAddress(ip, family(ip));
    return true;
  }
  const bits = Number(prefix);
  const max = isIP(ip) === 6 ? 128 : 32;
  if (!/^\d+$/.test(prefix) || bits > max) throw new Error(`bad CIDR in the PayFast allowlist: ${entry}`);
  list.addSubnet(ip, bits, family(ip));
  return true;
}

/**
 * Whether an ITN from `ip` comes from where PayFast sends them. Allowlist entries are IPs, CIDRs (IPv4 or
 * IPv6) or host names; IPv4 and IPv4-mapped IPv6 (::ffff:1.2.3.4, as a dual-stack socket reports it) match
 * each other. Host names are resolved only when no literal entry matched. A failed lookup is reported, not
 * swallowed: it means "could not check", which must not be read as "not PayFast".
 */
export async function payfastSourceAllowed(
  ip: string,
  allowlist: readonly string[],
  resolve: ResolveHost,
): Promise<SourceCheck> {
  const source = withoutZone(ip.trim());
  if (isIP(source) === 0) return { allowed: false, failedLookups: [] };
  const literals = new BlockList();
  const hosts = allowlist.map((entry) => entry.trim()).filter((entry) => entry && !addEntry(literals, entry));
  if (literals.check(source, family(source))) return { allowed: true };
  const failedLookups: string[] = [];
  const resolved = await Promise.all(
    hosts.map((host) =>
      resolve(host).catch((error: unknown) => {
        failedLookups.push(`${host} (${error instanceof Error ? error.message : String(error)})`);
        return [];
      }),
    ),
  );
  const addresses = new BlockList();
  for (const address of resolved.flat()) addEntry(addresses, address);
  return addresses.check(source, family(source)) ? { allowed: true } : { allowed: false, failedLookups };
}
