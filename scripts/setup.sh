#!/usr/bin/env bash
# What `npm test` and `npm run demo` need on a fresh machine: the npm packages, then the local infrastructure
# (Debian packages, Docker, registries, SSH hosts: scripts/infra.sh up, idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "npm packages"
# `npm install` from the lockfile rather than `npm ci`: npm 11 drops other platforms' optional packages
# (biome's and swc's binaries) from lockfiles and `npm ci` then refuses them (npm/cli #4828, #8805).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
else
  echo "up to date"
fi

step "shellcheck (lints the scripts that run on hosts)"
if ! command -v shellcheck >/dev/null; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
fi
shellcheck --version | sed -n 2p

step "local infrastructure (scripts/infra.sh up)"
bash scripts/infra.sh up
