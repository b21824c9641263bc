#!/usr/bin/env bash
# Sets up and runs every EDU24 test: style, lints, unit, service, system and browser
# tests. Storage tests also run on PostgreSQL when EDU24_TEST_POSTGRES_URL is set (e.g.
# postgres://postgres@127.0.0.1:5432/postgres), bus tests on NATS when
# EDU24_TEST_NATS_URL is set (e.g. nats://127.0.0.1:4222); .ci/run sets both.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }

# Chromium and its WebDriver for the browser test, from Debian's packages.
if [ "${EDU24_SKIP_BROWSER:-0}" != 1 ] && ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  say "installing chromium and chromium-driver (Debian packages) for the browser test"
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "The browser test needs chromium and chromium-driver; install them or set EDU24_SKIP_BROWSER=1." >&2
    exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Digital Bazaar's reference verifiers (npm), which the diploma tests run on EDU24's
# credentials: a check by code that shares nothing with ours.
say "the standard credential verifier (tests/verifier, npm ci)"
if ! command -v npm >/dev/null 2>&1; then
  echo "The diploma tests run a standard verifier on Node.js: install nodejs and npm." >&2
  exit 1
fi
npm ci --prefix tests/verifier --no-audit --no-fund --loglevel=error

say "format"
cargo fmt --all -- --check

say "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "build the edu24 binary the system tests start"
cargo build -p edu24-gateway --bin edu24 --locked

say "tests (PostgreSQL: ${EDU24_TEST_POSTGRES_URL:-not set}; NATS: ${EDU24_TEST_NATS_URL:-not set})"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked
else
  cargo test --workspace --locked
fi
