import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, sandboxedProviders } from './load-config.js';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

const liveProviders = {
  AISENSY_API_URL: 'https://backend.aisensy.com',
  AISENSY_CAMPAIGN_URL: 'https://backend.aisensy.com/campaign/t1/api/v2',
  AISENSY_PROJECT_ID: 'p1',
  AISENSY_PROJECT_API_PWD: 'pwd',
  AISENSY_API_KEY: 'key',
  AISENSY_WEBHOOK_SECRET: 'secret',
  TYPEBOT_WEBHOOK_SECRET: 'tb',
  PAYFAST_URL: 'https://www.payfast.co.za',
  PAYFAST_MERCHANT_ID: '1',
  PAYFAST_MERCHANT_KEY: 'k',
  OZOW_API_URL: 'https://api.ozow.com',
  OZOW_SITE_CODE: 'S',
  OZOW_PRIVATE_KEY: 'pk',
  OZOW_API_KEY: 'ak',
  TWOCAPTCHA_API_URL: 'https://api.2captcha.com',
  TWOCAPTCHA_API_KEY: 'c',
  CIPC_PORTAL_URL: 'https://eservices.cipc.co.za',
  CIPC_CUSTOMER_CODE: 'X1234',
  CIPC_PASSWORD: 'pw',
};

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.dataDir, './.data');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.temporal.address, undefined);
    assert.equal(config.serviceFeeCents, 19_900);
    assert.equal(config.publicBaseUrl, 'http://localhost:3000');
    assert.deepEqual(sandboxedProviders(config), [
      'aisensy',
      'typebot',
      'payfast',
      'ozow',
      'twocaptcha',
      'cipc',
    ]);
    assert.equal(config.payfast.url, 'http://localhost:3000/sandbox/payfast');
    assert.equal(config.payfast.merchantId, '10000100');
  });

  it('names every invalid variable and what is wrong, all at once', () => {
    const problems = problemsOf({
      PORT: '70000',
      SERVICE_FEE_ZAR: 'cheap',
      DATABASE_URL: 'not a url',
      LOG_LEVEL: 'loud',
    });
    assert.equal(problems.length, 4);
    assert.match(problems[0] ?? '', /^PORT must be a port number from 1 to 65535/);
    assert.ok(problems.some((p) => p.startsWith('DATABASE_URL must be a URL')));
    assert.ok(problems.some((p) => p.startsWith('SERVICE_FEE_ZAR must be a whole number')));
    assert.ok(problems.some((p) => p.startsWith('LOG_LEVEL must be one of')));
  });

  it('refuses the sandbox in production and names each missing credential', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of [
      'AISENSY_WEBHOOK_SECRET',
      'PAYFAST_MERCHANT_ID',
      'OZOW_PRIVATE_KEY',
      'CIPC_PASSWORD',
      'ENCRYPTION_KEY',
      'PUBLIC_BASE_URL',
    ]) {
      assert.ok(
        problems.some((p) => p.startsWith(`${name} is required in production`)),
        `${name} named`,
      );
    }
  });

  const production = {
    NODE_ENV: 'production',
    ENCRYPTION_KEY: 'a'.repeat(64),
    PUBLIC_BASE_URL: 'https://agent.cipc-filing.co.za',
    ...liveProviders,
  };

  it('starts in production with every credential set', () => {
    const config = loadConfig(production);
    assert.deepEqual(sandboxedProviders(config), []);
    assert.equal(config.payfast.passphrase, undefined);
    assert.equal(config.publicBaseUrl, 'https://agent.cipc-filing.co.za');
  });

  it('refuses production without a PUBLIC_BASE_URL, naming it', () => {
    const { PUBLIC_BASE_URL: _, ...withoutUrl } = production;
    for (const env of [withoutUrl, { ...withoutUrl, PUBLIC_BASE_URL: '' }]) {
      const problems = problemsOf(env);
      assert.equal(problems.length, 1);
      assert.match(problems[0] ?? '', /^PUBLIC_BASE_URL is required in production/);
    }
  });

  it('refuses a production PUBLIC_BASE_URL PayFast cannot notify: not https, not public, or on another port', () => {
    for (const [url, problem] of [
      ['http://localhost:3000', /must be an https URL/],
      ['http://agent.cipc-filing.co.za', /must be an https URL/],
      ['https://localhost', /not localhost/],
      ['https://127.0.0.1', /not 127\.0\.0\.1/],
      ['https://10.1.2.3', /not 10\.1\.2\.3/],
      ['https://192.168.0.10:8443', /not 192\.168\.0\.10/],
      ['https://[::1]', /not \[::1\]/],
      ['https://[fd00::1]', /not \[fd00::1\]/],
      ['https://bot', /not bot/],
      ['https://bot.internal', /not bot\.internal/],
      ['https://agent.cipc-filing.co.za:3000', /port 443, 80, 8080 or 8081/],
      ['https://agent.cipc-filing.co.za:8443', /port 443, 80, 8080 or 8081/],
    ] as const) {
      const problems = problemsOf({ ...production, PUBLIC_BASE_URL: url });
      assert.equal(problems.length, 1, url);
      assert.match(problems[0] ?? '', /^PUBLIC_BASE_URL must /, url);
      assert.match(problems[0] ?? '', problem, url);
    }
  });

  it('accepts a production PUBLIC_BASE_URL on every port PayFast notifies, with a path', () => {
    for (const url of [
      'https://agent.cipc-filing.co.za:443/',
      'https://agent.cipc-filing.co.za:8080',
      'https://agent.cipc-filing.co.za:8081/cipc',
      'https://41.74.179.10',
    ]) {
      assert.doesNotThrow(() => loadConfig({ ...production, PUBLIC_BASE_URL: url }), url);
    }
  });

  it('keeps the local default outside production', () => {
    assert.equal(loadConfig({ NODE_ENV: 'test', PORT: '4000' }).publicBaseUrl, 'http://localhost:4000');
  });

  it('refuses a provider configured in part rather than mixing it with the sandbox', () => {
    const problems = problemsOf({ PAYFAST_MERCHANT_ID: '123' });
    assert.deepEqual(problems, [
      'PAYFAST_URL, PAYFAST_MERCHANT_KEY must be set too: the payfast variables are set only in part',
    ]);
  });

  it('checks the encryption key length', () => {
    assert.deepEqual(problemsOf({ ENCRYPTION_KEY: 'abcd' }), [
      'ENCRYPTION_KEY must be 32 bytes, written as 64 hex characters or 44 base64 characters',
    ]);
  });

  it('reads the key ring ENCRYPTION_KEYS newest first and names the key that is wrong', () => {
    const newest = 'b'.repeat(64);
    const older = Buffer.alloc(32, 7).toString('base64');
    assert.deepEqual(loadConfig({ ENCRYPTION_KEYS: `${newest}, ${older}` }).encryptionKeys, [newest, older]);
    assert.deepEqual(loadConfig({ ENCRYPTION_KEY: newest }).encryptionKeys, [newest]);
    assert.deepEqual(problemsOf({ ENCRYPTION_KEYS: `${newest},abcd` }), [
      'ENCRYPTION_KEYS key 2 of 2 must be 32 bytes, written as 64 hex characters or 44 base64 characters',
    ]);
    assert.deepEqual(problemsOf({ ENCRYPTION_KEYS: `${newest},${newest}` }), [
      'ENCRYPTION_KEYS lists the same key twice',
    ]);
    assert.equal(problemsOf({ ENCRYPTION_KEYS: newest, ENCRYPTION_KEY: newest }).length, 1);
    assert.deepEqual(
      loadConfig({ ...production, ENCRYPTION_KEY: undefined, ENCRYPTION_KEYS: newest }).encryptionKeys,
      [newest],
      'the ring alone satisfies production',
    );
  });

  it("defaults the PayFast source allowlist to PayFast's published ITN ranges", () => {
    assert.deepEqual(loadConfig({}).payfast.sourceAllowlist, [
      '197.97.145.144/28',
      '41.74.179.192/27',
      '102.216.36.0/28',
      '102.216.36.128/28',
      '144.126.193.139',
    ]);
  });

  it('splits the PayFast source allowlist', () => {
    const config = loadConfig({ PAYFAST_SOURCE_ALLOWLIST: '127.0.0.1, 10.0.0.0/8 ,' });
    assert.deepEqual(config.payfast.sourceAllowlist, ['127.0.0.1', '10.0.0.0/8']);
  });
});
