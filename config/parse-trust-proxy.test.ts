import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './load-config.js';

function problemOf(value: string): string {
  try {
    loadConfig({ TRUST_PROXY: value });
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 1);
    return err.problems[0] as string;
  }
  assert.fail(`expected TRUST_PROXY=${value} to be refused`);
}

describe('TRUST_PROXY', () => {
  it('is off when unset or false: X-Forwarded-* is ignored', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
  });

  it("takes what Fastify's trustProxy takes: true, or proxy IPs, CIDRs and proxy-addr's range names", () => {
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.deepEqual(
      loadConfig({ TRUST_PROXY: '10.0.0.1, 172.16.0.0/12,fdaa::/16,uniquelocal' }).trustProxy,
      ['10.0.0.1', '172.16.0.0/12', 'fdaa::/16', 'uniquelocal'],
    );
  });

  it('refuses a hop count, which Fastify would silently treat as "trust nothing"', () => {
    assert.match(problemOf('2'), /^TRUST_PROXY must be true or .*hop counts are not honoured/);
  });

  for (const value of ['yes', '10.0.0.0/33', 'fdaa::/129', '10.0.0.1,,10.0.0.2', 'proxy.internal']) {
    it(`refuses ${JSON.stringify(value)}, naming the variable`, () => {
      assert.match(
        problemOf(value),
        /^TRUST_PROXY must be true or the proxies as comma-separated IPs\/CIDRs: /,
      );
    });
  }
});
