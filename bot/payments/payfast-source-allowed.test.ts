import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../config/load-config.js';
import { payfastSourceAllowed } from './payfast-source-allowed.js';

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
      assert.equal((await payfastSourceAllowed(ip, allowlist, resolver())).allowed, allowed);
    });
  }

  it("trusts every address of PayFast's published ITN ranges by default, with no lookup at all", async () => {
    const published = loadConfig({}).payfast.sourceAllowlist;
    const calls: string[] = [];
    for (const ip of [
      '41.74.179.200',
      '41.74.179.223',
      '197.97.145.159',
      '102.216.36.5',
      '102.216.36.140',
      '144.126.193.139',
    ]) {
      assert.deepEqual(await payfastSourceAllowed(ip, published, resolver(calls)), { allowed: true }, ip);
    }
    for (const ip of ['41.74.179.224', '197.97.145.160', '102.216.36.16', '144.126.193.140']) {
      assert.equal((await payfastSourceAllowed(ip, published, resolver(calls))).allowed, false, ip);
    }
    assert.deepEqual(calls, []);
  });

  it('resolves host names only when no literal entry matches', async () => {
    const calls: string[] = [];
    const allowlist = ['127.0.0.1', 'www.payfast.co.za', 'w1w.payfast.co.za'];
    assert.deepEqual(await payfastSourceAllowed('127.0.0.1', allowlist, resolver(calls)), { allowed: true });
    assert.deepEqual(calls, []);
    assert.deepEqual(await payfastSourceAllowed('41.74.179.194', allowlist, resolver(calls)), {
      allowed: true,
    });
    assert.deepEqual(calls.sort(), ['w1w.payfast.co.za', 'www.payfast.co.za']);
  });

  it('says which lookups failed when the source could not be vouched for', async () => {
    assert.deepEqual(
      await payfastSourceAllowed('41.74.179.194', ['nowhere.invalid', 'www.payfast.co.za'], resolver()),
      { allowed: false, failedLookups: ['nowhere.invalid (ENOTFOUND nowhere.invalid)'] },
    );
    assert.deepEqual(await payfastSourceAllowed('197.97.145.145', ['www.payfast.co.za'], resolver()), {
      allowed: false,
      failedLookups: [],
    });
  });

  it('refuses a malformed CIDR loudly', async () => {
    await assert.rejects(payfastSourceAllowed('1.2.3.4', ['1.2.3.0/33'], resolver()), /bad CIDR/);
  });
});
