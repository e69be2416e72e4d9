#!/usr/bin/env bash
# Installs everything and starts Gatehouse (UI and API) on http://localhost:${PORT:-4000},
# with an embedded PostgreSQL in .data/ unless DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-tools.sh
ensure_pnpm
pnpm install --frozen-lockfile
exec pnpm start
