# syntax=docker/dockerfile:1
# Images of the CIPC agent, one Dockerfile, two targets:
#   service  npm run start:bot    (webhooks, pay pages, engine, outbox; also runs npm run backup)
#   worker   npm run start:worker (Temporal filing worker with Debian's Chromium and a prebuilt workflow bundle)
# Both run as the unprivileged `node` user, from the sources through tsx exactly as in development.

ARG NODE_VERSION=20

# Production dependencies only, installed once from the lockfile.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
# Playwright drives the system Chromium: it never downloads a browser of its own.
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npm_config_update_notifier=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# What every image runs on: the sources, tini as PID 1 (signals reach node: a SIGTERM drains the
# engine and outbox), pg_dump/pg_restore of the server's major version for npm run backup/restore.
FROM node:${NODE_VERSION}-bookworm-slim AS base
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini postgresql-client-15 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/data \
    BACKUP_DIR=/backups \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npm_config_update_notifier=false
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY config ./config
COPY flows ./flows
COPY db ./db
COPY bot ./bot
COPY filing-worker ./filing-worker
COPY sandbox ./sandbox
COPY scripts ./scripts
RUN mkdir -p /data /backups && chown node:node /data /backups
ENTRYPOINT ["/usr/bin/tini", "--"]

# The workflow code bundled ahead of time (bundleWorkflowCode), so workers start without webpack.
FROM base AS workflow-bundle
RUN npm run bundle:workflows -- /app/dist/workflow-bundle.js

FROM base AS service
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "start:bot"]

FROM base AS worker
# Debian's Chromium (CHROMIUM_PATH) and fonts for the portal's pages and certificates.
USER root
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY --from=workflow-bundle /app/dist/workflow-bundle.js /app/dist/workflow-bundle.js
ENV CHROMIUM_PATH=/usr/bin/chromium \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    WORKER_METRICS_PORT=9464
USER node
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WORKER_METRICS_PORT || 9464) + '/metrics').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "start:worker"]
