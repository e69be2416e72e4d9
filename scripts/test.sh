#!/usr/bin/env bash
# Installs everything (pnpm, packages, Chromium) and runs every test: shared unit tests, server
# integration tests against a real PostgreSQL, and browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-tools.sh
ensure_pnpm
ensure_chromium
pnpm install --frozen-lockfile
exec pnpm test "$@"
