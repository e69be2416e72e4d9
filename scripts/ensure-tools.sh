# Sourced by scripts/start.sh and scripts/test.sh: makes pnpm 10 available on a machine that
# has only Node 20 and npm. Corepack's pnpm download fails signature checks on some
# machines, so pnpm comes from the npm registry instead.
ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1 && pnpm --version | grep -q '^10\.'; then return; fi
  echo "Installing pnpm 10 from the npm registry..."
  if ! npm install -g pnpm@10 >/dev/null 2>&1; then
    # No write access to npm's global folder (a normal user): install into the home folder.
    local prefix="$HOME/.local/share/gatehouse-tools"
    npm install --prefix "$prefix" pnpm@10 >/dev/null
    export PATH="$prefix/node_modules/.bin:$PATH"
  fi
  pnpm --version >/dev/null
}

# Browser tests drive Debian's Chromium; root can install it, others are told how.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (browser tests will fail without it)." >&2
  fi
}
