import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAYFAST_SOURCE_HOSTS, payfastSourceAllowed } from './payfast-source-allowed.js';

const dns: Record<string, string[]> = {
  'www.payfast.co.za': ['197.97.145.144'],
  'w1w.payfast.co.za': ['41.74.179.194', '2c0f:f4c0:1:2::10'],
};
function resolver(calls: string[] = []) {
  return async (host: string) => {
    calls.push(host);
    const addresses = dns[host];
    if (!addresses) throw new Error(`ENOTFOUND ${host}`);
    return addresses;
  };
}

describe('payfastSourceAllowed', () => {
  const cases: [string, string[], string, boolean][] = [
    ['exact IPv4', ['197.97.145.144'], '197.97.145.144', true],
    ['other IPv4', ['197.97.145.144'], '197.97.145.145', false],
    ['IPv4 CIDR', ['197.97.145.144/28'], '197.97.145.150', true],
    ['outside IPv4 CIDR', ['197.97.145.144/28'], '197.97.145.160', false],
    ['mapped source, IPv4 entry', ['127.0.0.1'], '::ffff:127.0.0.1', true],
    ['mapped source, IPv4 CIDR', ['10.0.0.0/8'], '::ffff:10.1.2.3', true],
    ['IPv4 source, mapped entry', ['::ffff:41.74.179.194'], '41.74.179.194', true],
    ['IPv6 CIDR', ['2c0f:f4c0::/32'], '2c0f:f4c0:1:2::99', true],
    ['outside IPv6 CIDR', ['2c0f:f4c0::/32'], '2c0f:f4c1::1', false],
    ['IPv6 with zone id', ['fe80::1'], 'fe80::1%eth0', true],
    ['host name', ['www.payfast.co.za'], '197.97.145.144', true],
    ['host name IPv6 address', ['w1w.payfast.co.za'], '2c0f:f4c0:1:2::10', true],
    ['host name, other address', ['www.payfast.co.za'], '197.97.145.145', false],
    ['unresolvable host is skipped', ['nowhere.invalid', 'www.payfast.co.za'], '197.97.145.144', true],
    ['not an IP', ['127.0.0.1'], 'localhost', false],
    ['empty allowlist', [], '127.0.0.1', false],
  ];
  for (const [name, allowlist, ip, allowed] of cases) {
    it(`${name}: ${ip} ${allowed ? 'allowed' : 'refused'}`, async () => {
      assert.equal(await payfastSourceAllowed(ip, allowlist, resolver()), allowed);
    });
  }

  it('defaults to the PayFast hosts and resolves them only when no literal entry matches', async () => {
    const calls: string[] = [];
    assert.equal(await payfastSourceAllowed('41.74.179.194', PAYFAST_SOURCE_HOSTS, resolver(calls)), true);
    assert.deepEqual(calls.sort(), [...PAYFAST_SOURCE_HOSTS].sort());
    const none: string[] = [];
    assert.equal(
      await payfastSourceAllowed('127.0.0.1', ['127.0.0.1', 'www.payfast.co.za'], resolver(none)),
      true,
    );
    assert.deepEqual(none, []);
  });

  it('refuses a malformed CIDR loudly', async () => {
    await assert.rejects(payfastSourceAllowed('1.2.3.4', ['1.2.3.0/33'], resolver()), /bad CIDR/);
  });
});
