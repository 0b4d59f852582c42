# shellcheck shell=sh
# Rolling, phase 3, once the verdict is in (the entry point serves the new containers): the old containers of
# SERVICE, out of rotation since the switch, are queued (queue_retire) for the stop after the verdict: they drain
# (DRAIN seconds from now) and stop detached on the host, under the project's deploy lock, once this deploy
# releases it (lock-release.sh hands the lock to retire.sh), so the step does not wait out their stop grace
# period. What is left of earlier rolls is removed; the service's files are recorded as applied.
state=".slipway-roll/$SERVICE"
old=$(cat "$state/old")
set -f
# shellcheck disable=SC2086
if [ -n "$old" ]; then queue_retire $old; fi
set +f
stopped=$(svc_all "$SERVICE" | grep -v -x -F -f "$state/new" | grep -v -x -F -f "$state/old" || true)
# shellcheck disable=SC2086
if [ -n "$stopped" ]; then docker rm -f $stopped >/dev/null; fi
record_files
roll_done
