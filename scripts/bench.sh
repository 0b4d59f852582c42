#!/usr/bin/env bash
# `npm run bench [-- section...]`: what the benchmarks need on a fresh machine (the test setup, and `hey`,
# section 5's reference client, from Debian's packages), then the benchmarks (bench/index.ts).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
if ! command -v hey >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  printf '\n== installing hey (the reference HTTP client of section 5)\n'
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hey >/dev/null
fi
printf '\n== benchmarks\n'
exec node scripts/run-ts.js bench/index.ts "$@"
