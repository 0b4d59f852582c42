# shellcheck shell=sh
# Rolling, phase 3, once the verdict is in: the old containers of SERVICE, out of rotation since the switch, are
# queued (queue_retire) for the stop after the verdict, which waits until they drained (DRAIN seconds from now:
# requests already sent to them are answered, and proxies that follow DNS look the name up again). It runs detached
# on the host, under the project's deploy lock, once this deploy releases it (lock-release.sh hands the lock to
# retire.sh), so no step waits out their stop grace period, and the next services roll while they drain; the step
# itself reports once the drain is over (fleet-deploy.ts), so the entry point then serves the new containers alone.
# What is left of earlier rolls is removed; the service's files are recorded as applied.
state=".slipway-roll/$SERVICE"
old=$(cat "$state/old")
set -f
if [ -n "$old" ]; then
  # shellcheck disable=SC2086
  queue_retire $old
fi
set +f
stopped=$(svc_all "$SERVICE" | grep -v -x -F -f "$state/new" | grep -v -x -F -f "$state/old" || true)
# shellcheck disable=SC2086
if [ -n "$stopped" ]; then docker rm -f $stopped >/dev/null; fi
record_files
roll_done
