#!/usr/bin/env bash
# Installs everything Loreforge needs on a fresh Debian machine (Node 20 present): apt packages, pnpm, deps.
# Idempotent: fast when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

export npm_config_nodedir=${npm_config_nodedir:-/usr}   # better-sqlite3 builds against the system Node headers
export ELECTRON_SKIP_BINARY_DOWNLOAD=1                   # the Electron binary is not downloadable here
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1                # UI tests use Debian's chromium

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/include/node/node.h ] || need_apt+=(libnode-dev)
command -v g++ >/dev/null || need_apt+=(g++)
command -v make >/dev/null || need_apt+=(make)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install: apt-get install ${need_apt[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >&2
fi

if ! command -v pnpm >/dev/null || [ "$(pnpm --version)" != "12.4.2" ]; then
  echo "install: npm i -g pnpm@12.4.2" >&2
  $SUDO npm i -g pnpm@12.4.2 >&2
fi

pnpm install --frozen-lockfile >&2
