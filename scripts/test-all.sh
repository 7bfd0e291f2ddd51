#!/usr/bin/env bash
# `npm test`: every check and test, on a fresh machine too. Installs Debian's Chromium when it is missing,
# starts the local PostgreSQL when it is down, then: typecheck, lint, vitest (PostgreSQL + PGlite),
# production build, Playwright end-to-end in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "==> Installing Chromium (Debian package) for the end-to-end tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "==> Starting PostgreSQL"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

echo "==> Typecheck";  npx tsc --noEmit
echo "==> Lint";       npx eslint . --max-warnings 0
echo "==> Unit and integration tests (PostgreSQL and PGlite)"; npx vitest run
echo "==> Production build"; npx next build
echo "==> End-to-end tests (Chromium)"; npx playwright test
