import { parseTrustProxy, type TrustProxy } from './parse-trust-proxy.js';
import { publicBaseUrlProblem } from './public-base-url-problem.js';
import { type Provider, type Variable, variables } from './variables.js';

export type Environment = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

interface ProviderConfig {
  /** `sandbox` when the credentials were absent (never in production): sandbox/ stands in. */
  mode: 'live' | 'sandbox';
}
export interface Config {
  env: Environment;
  port: number;
  host: string;
  publicBaseUrl: string;
  logLevel: LogLevel;
  /** Fastify's trustProxy: false unless TRUST_PROXY names the proxies in front of the service. */
  trustProxy: TrustProxy;
  /** RATE_LIMITS: the per-address limits on webhooks and pay pages. */
  rateLimits: boolean;
  dataDir: string;
  backupDir: string;
  /** RETENTION_DAYS_*: how long abandoned leads and filing artefacts are kept (POPIA: no longer than needed). */
  retention: { leadDays: number; artefactDays: number };
  databaseUrl?: string;
  temporal: { address?: string; namespace: string; cli?: string; devPort: number; uiPort: number };
  chromiumPath: string;
  filingConcurrency: number;
  workerMetricsPort: number;
  workflowBundlePath?: string;
  serviceFeeCents: number;
  /** ENCRYPTION_KEYS (or ENCRYPTION_KEY alone), newest first, as written; empty: the key in DATA_DIR. */
  encryptionKeys: string[];
  whatsappNumber?: string;
  payTokenTtlMs: number;
  /** AGENT_IDLE_MINUTES: an agent's hold with no message for this long is handed back to the bot. */
  agentIdleMs: number;
  aisensy: ProviderConfig & {
    apiUrl: string;
    campaignUrl: string;
    projectId: string;
    projectApiPwd: string;
    apiKey: string;
    webhookSecret: string;
  };
  typebot: ProviderConfig & { webhookSecret: string };
  payfast: ProviderConfig & {
    url: string;
    merchantId: string;
    merchantKey: string;
    passphrase?: string;
    sourceAllowlist: string[];
  };
  ozow: ProviderConfig & {
    apiUrl: string;
    siteCode: string;
    privateKey: string;
    apiKey: string;
    isTest: boolean;
  };
  twocaptcha: ProviderConfig & { apiUrl: string; apiKey: string };
  cipc: ProviderConfig & { portalUrl: string; customerCode: string; password: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Credentials the sandboxes accept; PayFast's are its public sandbox merchant. */
const sandboxCredentials: Record<Provider, Record<string, string>> = {
  aisensy: {
    AISENSY_API_URL: '$BASE/sandbox/aisensy',
    AISENSY_CAMPAIGN_URL: '$BASE/sandbox/aisensy/campaign/t1/api/v2',
    AISENSY_PROJECT_ID: 'sandbox-project',
    AISENSY_PROJECT_API_PWD: 'sandbox-project-pwd',
    AISENSY_API_KEY: 'sandbox-api-key',
    AISENSY_WEBHOOK_SECRET: 'sandbox-webhook-secret',
  },
  typebot: { TYPEBOT_WEBHOOK_SECRET: 'sandbox-typebot-secret' },
  payfast: {
    PAYFAST_URL: '$BASE/sandbox/payfast',
    PAYFAST_MERCHANT_ID: '10000100',
    PAYFAST_MERCHANT_KEY: '46f0cd694581a',
    PAYFAST_PASSPHRASE: 'sandbox-passphrase',
  },
  ozow: {
    OZOW_API_URL: '$BASE/sandbox/ozow',
    OZOW_SITE_CODE: 'TSTSTE0001',
    OZOW_PRIVATE_KEY: 'sandbox-ozow-private-key',
    OZOW_API_KEY: 'sandbox-ozow-api-key',
  },
  twocaptcha: { TWOCAPTCHA_API_URL: '$BASE/sandbox/2captcha', TWOCAPTCHA_API_KEY: 'sandbox-2captcha-key' },
  cipc: {
    CIPC_PORTAL_URL: '$BASE/sandbox/cipc',
    CIPC_CUSTOMER_CODE: 'SANDBOX1',
    CIPC_PASSWORD: 'Sandbox#2026',
  },
};

const levels: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function problemWith(variable: Variable, value: string): string | undefined {
  switch (variable.kind) {
    case 'url':
      try {
        const url = new URL(value);
        return /^(https?|postgres|postgresql):$/.test(url.protocol)
          ? undefined
          : 'must be an http(s) or postgres URL';
      } catch {
        return 'must be a URL, e.g. https://example.com';
      }
    case 'port':
      return /^\d+$/.test(value) && Number(value) > 0 && Number(value) < 65536
        ? undefined
        : 'must be a port number from 1 to 65535';
    case 'integer':
      return /^\d+$/.test(value) ? undefined : 'must be a whole number';
    case 'boolean':
      return /^(true|false)$/.test(value) ? undefined : 'must be true or false';
    case 'level':
      return levels.includes(value as LogLevel) ? undefined : `must be one of ${levels.join(', ')}`;
    case 'environment':
      return /^(development|test|production)$/.test(value)
        ? undefined
        : 'must be development, test or production';
    case 'string':
      return value.trim() === '' ? 'must not be empty' : undefined;
    case 'trust-proxy': {
      const parsed = parseTrustProxy(value);
      return 'problem' in parsed ? parsed.problem : undefined;
    }
  }
}

/**
 * Reads and validates the environment once. Every problem names its variable; all are reported together.
 * Outside production a provider whose variables are all unset is served by the sandbox.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const values = new Map<string, string>();
  for (const variable of variables) {
    const raw = env[variable.name];
    if (raw === undefined || raw === '') continue;
    const problem = problemWith(variable, raw);
    if (problem) problems.push(`${variable.name} ${problem} (got ${JSON.stringify(raw)})`);
    else values.set(variable.name, raw);
  }
  const get = (name: string): string | undefined =>
    values.get(name) ?? variables.find((v) => v.name === name)?.default;
  const production = get('NODE_ENV') === 'production';
  const port = Number(get('PORT'));
  const publicBaseUrl = (values.get('PUBLIC_BASE_URL') ?? `http://localhost:${port}`).replace(/\/$/, '');

  const modes = {} as Record<Provider, ProviderConfig['mode']>;
  for (const provider of Object.keys(sandboxCredentials) as Provider[]) {
    const group = variables.filter((v) => v.provider === provider);
    const required = group.filter((v) => !v.optional);
    const missing = required.filter((v) => !values.has(v.name)).map((v) => v.name);
    const anySet = group.some((v) => values.has(v.name) || env[v.name] !== undefined);
    if (missing.length === 0) {
      modes[provider] = 'live';
    } else if (production) {
      for (const name of missing)
        problems.push(`${name} is required in production (no sandbox stands in there)`);
    } else if (anySet) {
      problems.push(`${missing.join(', ')} must be set too: the ${provider} variables are set only in part`);
    } else {
      modes[provider] = 'sandbox';
      for (const [name, value] of Object.entries(sandboxCredentials[provider])) {
        values.set(name, value.replace('$BASE', publicBaseUrl));
      }
    }
  }
  if (production && !values.has('ENCRYPTION_KEY') && !values.has('ENCRYPTION_KEYS'))
    problems.push('ENCRYPTION_KEY is required in production (or the key ring ENCRYPTION_KEYS)');
  const givenBaseUrl = values.get('PUBLIC_BASE_URL');
  if (production && givenBaseUrl) {
    const problem = publicBaseUrlProblem(givenBaseUrl);
    if (problem) problems.push(`PUBLIC_BASE_URL ${problem}`);
  } else if (production && !env.PUBLIC_BASE_URL) {
    problems.push(
      "PUBLIC_BASE_URL is required in production: the public https address providers call back and owners' links open",
    );
  }
  const keyRing = encryptionKeysOf(values, problems);
  for (const name of ['RETENTION_DAYS_LEADS', 'RETENTION_DAYS_ARTEFACTS']) {
    if (values.get(name) !== undefined && Number(values.get(name)) < 1)
      problems.push(`${name} must be at least 1 (days)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const must = (name: string): string => get(name) as string;
  return {
    env: must('NODE_ENV') as Environment,
    port,
    host: must('HOST'),
    publicBaseUrl,
    logLevel: must('LOG_LEVEL') as LogLevel,
    trustProxy: trustProxyOf(get('TRUST_PROXY')),
    rateLimits: get('RATE_LIMITS') === 'true',
    dataDir: must('DATA_DIR'),
    backupDir: must('BACKUP_DIR'),
    retention: {
      leadDays: Number(get('RETENTION_DAYS_LEADS')),
      artefactDays: Number(get('RETENTION_DAYS_ARTEFACTS')),
    },
    databaseUrl: get('DATABASE_URL'),
    temporal: {
      address: get('TEMPORAL_ADDRESS'),
      namespace: must('TEMPORAL_NAMESPACE'),
      cli: get('TEMPORAL_CLI'),
      devPort: Number(get('TEMPORAL_DEV_PORT')),
      uiPort: Number(get('TEMPORAL_UI_PORT')),
    },
    chromiumPath: must('CHROMIUM_PATH'),
    filingConcurrency: Number(get('FILING_CONCURRENCY')),
    workerMetricsPort: Number(get('WORKER_METRICS_PORT')),
    workflowBundlePath: get('WORKFLOW_BUNDLE_PATH'),
    serviceFeeCents: Number(get('SERVICE_FEE_ZAR')) * 100,
    encryptionKeys: keyRing,
    whatsappNumber: get('WHATSAPP_NUMBER'),
    payTokenTtlMs: Number(get('PAY_TOKEN_TTL_HOURS')) * 3_600_000,
    agentIdleMs: Number(get('AGENT_IDLE_MINUTES')) * 60_000,
    aisensy: {
      mode: modes.aisensy,
      apiUrl: must('AISENSY_API_URL'),
      campaignUrl: must('AISENSY_CAMPAIGN_URL'),
      projectId: must('AISENSY_PROJECT_ID'),
      projectApiPwd: must('AISENSY_PROJECT_API_PWD'),
      apiKey: must('AISENSY_API_KEY'),
      webhookSecret: must('AISENSY_WEBHOOK_SECRET'),
    },
    typebot: { mode: modes.typebot, webhookSecret: must('TYPEBOT_WEBHOOK_SECRET') },
    payfast: {
      mode: modes.payfast,
      url: must('PAYFAST_URL'),
      merchantId: must('PAYFAST_MERCHANT_ID'),
      merchantKey: must('PAYFAST_MERCHANT_KEY'),
      passphrase: get('PAYFAST_PASSPHRASE'),
      sourceAllowlist: must('PAYFAST_SOURCE_ALLOWLIST')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    },
    ozow: {
      mode: modes.ozow,
      apiUrl: must('OZOW_API_URL'),
      siteCode: must('OZOW_SITE_CODE'),
      privateKey: must('OZOW_PRIVATE_KEY'),
      apiKey: must('OZOW_API_KEY'),
      isTest: get('OZOW_IS_TEST') === 'true' || modes.ozow === 'sandbox',
    },
    twocaptcha: {
      mode: modes.twocaptcha,
      apiUrl: must('TWOCAPTCHA_API_URL'),
      apiKey: must('TWOCAPTCHA_API_KEY'),
    },
    cipc: {
      mode: modes.cipc,
      portalUrl: must('CIPC_PORTAL_URL'),
      customerCode: must('CIPC_CUSTOMER_CODE'),
      password: must('CIPC_PASSWORD'),
    },
  };
}

function trustProxyOf(raw: string | undefined): TrustProxy {
  const parsed = raw === undefined ? undefined : parseTrustProxy(raw);
  return parsed && 'value' in parsed ? parsed.value : false;
}

/** The key ring as written, each key checked; a problem names the variable and which key. */
function encryptionKeysOf(values: Map<string, string>, problems: string[]): string[] {
  const ring = values.get('ENCRYPTION_KEYS');
  const single = values.get('ENCRYPTION_KEY');
  if (ring !== undefined && single !== undefined) {
    problems.push(
      'ENCRYPTION_KEY and ENCRYPTION_KEYS are both set: set one (the ring lists every key, newest first)',
    );
    return [];
  }
  if (single !== undefined) {
    if (decodedKeyLength(single) !== 32)
      problems.push('ENCRYPTION_KEY must be 32 bytes, written as 64 hex characters or 44 base64 characters');
    return [single];
  }
  if (ring === undefined) return [];
  const keys = ring.split(',').map((key) => key.trim());
  keys.forEach((key, i) => {
    if (decodedKeyLength(key) !== 32)
      problems.push(
        `ENCRYPTION_KEYS key ${i + 1} of ${keys.length} must be 32 bytes, written as 64 hex characters or 44 base64 characters`,
      );
  });
  if (new Set(keys.map((key) => decodedKey(key).toString('hex'))).size !== keys.length)
    problems.push('ENCRYPTION_KEYS lists the same key twice');
  return keys;
}

function decodedKey(key: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
}

function decodedKeyLength(key: string): number {
  if (/^[0-9a-fA-F]{64}$/.test(key)) return 32;
  return Buffer.from(key, 'base64').length;
}

/** Providers the sandbox stands in for, for the start-up log. */
export function sandboxedProviders(config: Config): Provider[] {
  return (['aisensy', 'typebot', 'payfast', 'ozow', 'twocaptcha', 'cipc'] as const).filter(
    (provider) => config[provider].mode === 'sandbox',
  );
}

/** For process entry points: the config, or the problems on stderr and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
}
