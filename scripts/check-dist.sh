#!/usr/bin/env bash
# Every action's committed dist/ must equal a fresh build: any difference, a new file included, fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# Start from empty folders, so a committed file that the build no longer makes shows up as deleted.
rm -rf actions/*/dist
npm run build --workspaces --if-present --silent >/dev/null
changes=$(git status --porcelain --untracked-files=all -- ':(glob)actions/*/dist/**')
if [ -n "$changes" ]; then
  echo "dist/ differs from a fresh build (run 'npm run build' and commit dist/):" >&2
  echo "$changes" >&2
  git --no-pager diff --stat -- ':(glob)actions/*/dist/**' >&2 || true
  exit 1
fi
echo "dist: every bundle equals a fresh build"
