# shellcheck shell=sh
# Rolling, phase 3: the old containers of SERVICE drain (DRAIN seconds: requests already sent to them are
# answered) and stop; what is left of earlier rolls is removed; the service's files are recorded as applied.
state=".slipway-roll/$SERVICE"
old=$(cat "$state/old")
if [ -n "$old" ]; then
  sleep "$DRAIN"
  # shellcheck disable=SC2086
  docker stop $old >/dev/null
  # shellcheck disable=SC2086
  docker rm -f $old >/dev/null
fi
stopped=$(svc_all "$SERVICE" | grep -v -x -F -f "$state/new" || true)
# shellcheck disable=SC2086
if [ -n "$stopped" ]; then docker rm -f $stopped >/dev/null; fi
record_files
roll_done
