#!/usr/bin/env bash
# The demo (`npm run demo`, or `npm run demo -- ecs`): installs what it needs, brings up the local infrastructure,
# then runs the staged pipeline's Compose (or ECS) scenario through the workflow files (demo/index.ts). The job
# summaries go to demo-report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
printf '\n== the staged pipeline, for real (demo/index.ts)\n'
node scripts/run-ts.js demo/index.ts "$@"
