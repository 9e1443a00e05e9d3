/**
 * Every environment variable the service reads: its meaning and default. The README's configuration
 * table is this list; `load-config.ts` validates against it.
 */
export interface Variable {
  name: string;
  meaning: string;
  default?: string;
  kind: 'string' | 'url' | 'port' | 'integer' | 'boolean' | 'level' | 'environment' | 'trust-proxy';
  /** A provider's group: all unset means "use the sandbox" (outside production); some set means a mistake. */
  provider?: Provider;
  /** Part of a provider group but never required (e.g. a PayFast passphrase is optional). */
  optional?: boolean;
}

export type Provider = 'aisensy' | 'typebot' | 'payfast' | 'ozow' | 'twocaptcha' | 'cipc';

export const variables: Variable[] = [
  {
    name: 'NODE_ENV',
    kind: 'environment',
    default: 'development',
    meaning: 'development, test or production',
  },
  { name: 'PORT', kind: 'port', default: '3000', meaning: 'HTTP port of the service' },
  { name: 'HOST', kind: 'string', default: '0.0.0.0', meaning: 'interface the service listens on' },
  {
    name: 'PUBLIC_BASE_URL',
    kind: 'url',
    meaning:
      'URL the outside world reaches the service at (links, notify URLs); required in production: a public https URL on port 443, 80, 8080 or 8081 (the ports PayFast notifies)',
    default: 'http://localhost:$PORT',
  },
  {
    name: 'LOG_LEVEL',
    kind: 'level',
    default: 'info',
    meaning: 'pino level: fatal, error, warn, info, debug, trace, silent',
  },
  {
    name: 'TRUST_PROXY',
    kind: 'trust-proxy',
    meaning:
      "the proxies in front of the service whose X-Forwarded-For is believed: their IPs/CIDRs (or loopback, linklocal, uniquelocal), comma-separated, or true (as Fastify's trustProxy; hop counts are not honoured); unset: X-Forwarded-* is ignored and the socket's address counts",
  },
  {
    name: 'RATE_LIMITS',
    kind: 'boolean',
    default: 'true',
    meaning:
      'per-address rate limits on webhooks and pay pages (the figures are in bot/plugins/external/route-limits.ts); false only for load tests, or when a proxy in front limits instead',
  },
  {
    name: 'DATA_DIR',
    kind: 'string',
    default: './.data',
    meaning: 'embedded data: PGlite files, Temporal SQLite file, audit trail',
  },
  {
    name: 'BACKUP_DIR',
    kind: 'string',
    default: './.data/backups',
    meaning: 'where npm run backup writes its timestamped dumps (pg_dump custom format, or a PGlite tarball)',
  },
  {
    name: 'RETENTION_DAYS_LEADS',
    kind: 'integer',
    default: '90',
    meaning:
      'days an abandoned lead (a conversation without a paid order) is kept after its last event; then the retention job deletes it and its contact',
  },
  {
    name: 'RETENTION_DAYS_ARTEFACTS',
    kind: 'integer',
    default: '365',
    meaning:
      "days a filing's screenshots and Playwright trace (DATA_DIR/audit) are kept; then the retention job deletes them",
  },
  { name: 'DATABASE_URL', kind: 'url', meaning: 'PostgreSQL URL (postgres.js); unset: PGlite in DATA_DIR' },
  {
    name: 'TEST_DATABASE_URL',
    kind: 'url',
    meaning:
      'tests only: a PostgreSQL server where each test file creates its own database; unset: PGlite in memory',
  },
  {
    name: 'TEMPORAL_ADDRESS',
    kind: 'string',
    meaning: 'Temporal frontend host:port; unset: the launcher starts a dev server',
  },
  { name: 'TEMPORAL_NAMESPACE', kind: 'string', default: 'default', meaning: 'Temporal namespace' },
  {
    name: 'TEMPORAL_CLI',
    kind: 'string',
    meaning: 'path of the temporal CLI for the dev server; unset: .tools/venv/bin/temporal, then the PATH',
  },
  {
    name: 'TEMPORAL_DEV_PORT',
    kind: 'port',
    default: '7233',
    meaning: 'port of the dev server the launcher starts',
  },
  { name: 'TEMPORAL_UI_PORT', kind: 'port', default: '8233', meaning: 'port of the dev server web UI' },
  {
    name: 'CHROMIUM_PATH',
    kind: 'string',
    default: '/usr/bin/chromium',
    meaning: 'system Chromium the filing worker drives',
  },
  {
    name: 'FILING_CONCURRENCY',
    kind: 'integer',
    default: '4',
    meaning: 'browser filings one worker process runs at once',
  },
  {
    name: 'WORKER_METRICS_PORT',
    kind: 'port',
    default: '9464',
    meaning: 'port of the filing worker process (npm run start:worker) where Prometheus scrapes GET /metrics',
  },
  {
    name: 'WORKFLOW_BUNDLE_PATH',
    kind: 'string',
    meaning:
      'the filing worker loads this prebuilt workflow bundle (npm run bundle:workflows; the worker image has one) instead of bundling the workflows at start',
  },
  {
    name: 'SERVICE_FEE_ZAR',
    kind: 'integer',
    default: '199',
    meaning: 'our service fee in rand, added to the CIPC fee',
  },
  {
    name: 'ENCRYPTION_KEY',
    kind: 'string',
    meaning:
      '32 bytes, base64 or hex: encrypts personal data at rest; unset outside production: a key generated once in DATA_DIR',
  },
  {
    name: 'ENCRYPTION_KEYS',
    kind: 'string',
    meaning:
      'a key ring instead of ENCRYPTION_KEY: comma-separated keys (each 32 bytes, base64 or hex), newest first; the newest encrypts, any of them decrypts (`npm run rotate-key` moves everything to the newest)',
  },
  {
    name: 'WHATSAPP_NUMBER',
    kind: 'string',
    meaning: 'our WhatsApp business number (E.164) for wa.me links; unset: links open the sandbox phone',
  },
  {
    name: 'AGENT_IDLE_MINUTES',
    kind: 'integer',
    default: '30',
    meaning:
      'an agent holding a chat without writing for this long hands it back to the bot automatically (the owner is told)',
  },
  {
    name: 'PAY_TOKEN_TTL_HOURS',
    kind: 'integer',
    default: '72',
    meaning: 'how long a payment link stays valid',
  },
  {
    name: 'AISENSY_API_URL',
    kind: 'url',
    provider: 'aisensy',
    meaning: 'AiSensy base URL for session messages',
  },
  {
    name: 'AISENSY_CAMPAIGN_URL',
    kind: 'url',
    provider: 'aisensy',
    meaning: 'AiSensy campaign (template) API URL',
  },
  { name: 'AISENSY_PROJECT_ID', kind: 'string', provider: 'aisensy', meaning: 'AiSensy project id' },
  {
    name: 'AISENSY_PROJECT_API_PWD',
    kind: 'string',
    provider: 'aisensy',
    meaning: 'AiSensy project API password',
  },
  { name: 'AISENSY_API_KEY', kind: 'string', provider: 'aisensy', meaning: 'AiSensy campaign API key' },
  {
    name: 'AISENSY_WEBHOOK_SECRET',
    kind: 'string',
    provider: 'aisensy',
    meaning: 'secret of the X-AiSensy-Signature HMAC',
  },
  {
    name: 'TYPEBOT_WEBHOOK_SECRET',
    kind: 'string',
    provider: 'typebot',
    meaning: 'bearer token the Typebot HTTP block sends',
  },
  {
    name: 'PAYFAST_URL',
    kind: 'url',
    provider: 'payfast',
    meaning: 'PayFast base URL (https://www.payfast.co.za or the sandbox)',
  },
  { name: 'PAYFAST_MERCHANT_ID', kind: 'string', provider: 'payfast', meaning: 'PayFast merchant id' },
  { name: 'PAYFAST_MERCHANT_KEY', kind: 'string', provider: 'payfast', meaning: 'PayFast merchant key' },
  {
    name: 'PAYFAST_PASSPHRASE',
    kind: 'string',
    provider: 'payfast',
    optional: true,
    meaning: 'PayFast passphrase (signs checkouts and ITNs)',
  },
  {
    name: 'PAYFAST_SOURCE_ALLOWLIST',
    kind: 'string',
    // PayFast's published ITN source ranges (developer docs, "Ports & IPs"). Resolving its host names instead
    // misses some of them, and a failed lookup would hold every ITN.
    default: '197.97.145.144/28,41.74.179.192/27,102.216.36.0/28,102.216.36.128/28,144.126.193.139',
    meaning:
      "comma-separated IPs, CIDRs or host names an ITN may come from (the default is PayFast's published ITN ranges; a value replaces it); an ITN from elsewhere is held for a person, not paid",
  },
  { name: 'OZOW_API_URL', kind: 'url', provider: 'ozow', meaning: 'Ozow API base URL' },
  { name: 'OZOW_SITE_CODE', kind: 'string', provider: 'ozow', meaning: 'Ozow site code' },
  { name: 'OZOW_PRIVATE_KEY', kind: 'string', provider: 'ozow', meaning: 'Ozow private key (hash checks)' },
  { name: 'OZOW_API_KEY', kind: 'string', provider: 'ozow', meaning: 'Ozow API key' },
  { name: 'OZOW_IS_TEST', kind: 'boolean', default: 'false', meaning: 'send IsTest=true to Ozow' },
  { name: 'TWOCAPTCHA_API_URL', kind: 'url', provider: 'twocaptcha', meaning: '2Captcha API base URL' },
  { name: 'TWOCAPTCHA_API_KEY', kind: 'string', provider: 'twocaptcha', meaning: '2Captcha client key' },
  { name: 'CIPC_PORTAL_URL', kind: 'url', provider: 'cipc', meaning: 'CIPC e-Services base URL' },
  {
    name: 'CIPC_CUSTOMER_CODE',
    kind: 'string',
    provider: 'cipc',
    meaning: 'our CIPC customer code (files and pays from its balance)',
  },
  { name: 'CIPC_PASSWORD', kind: 'string', provider: 'cipc', meaning: 'password of that customer code' },
];
