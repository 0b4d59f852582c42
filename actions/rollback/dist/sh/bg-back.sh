# shellcheck shell=sh
# Blue-green, back from phase 1 or 2 (SERVICES): where the switch happened, the old colour rejoins the rotation
# and the new one leaves it, the proxies are reloaded and requests already sent to the new colour get DRAIN
# seconds to end; the new containers are removed. A new colour that never joined the rotation (a failed
# pre-switch check) is removed at once: no user request ever reached it. The old colour never stopped.
switched=no
set -f
for service in $SERVICES; do
  state=".slipway-bg/next/$service"
  if [ -f "$state/switched" ]; then
    switched=yes
    # shellcheck disable=SC2013
    for id in $(cat "$state/old"); do in_rotation "$id" "$state/$id"; done
  fi
done
set +f
# as in bg-switch: the proxies know the old colour again before the new one's aliases move
if [ "$switched" = yes ]; then
  reload_proxies joined
  # HAProxy's and Nginx's workers from before that reload finish the requests of open client connections with what
  # they knew (the outgoing colour only) and close them: a moment (POLL) for that, before its aliases move.
  if printf '%s\n' "$PROXIES" | grep -q -E ' (nginx|haproxy)$'; then sleep "$POLL"; fi
fi
set -f
for service in $SERVICES; do
  state=".slipway-bg/next/$service"
  if [ -f "$state/switched" ]; then
    # shellcheck disable=SC2013
    for id in $(cat "$state/new"); do out_of_rotation "$id" "$state/$id"; done
  fi
done
set +f
if [ "$switched" = yes ]; then reload_proxies; sleep "$DRAIN"; fi
for service in $SERVICES; do
  state=".slipway-bg/next/$service"
  if [ -d "$state" ]; then
    # shellcheck disable=SC2046
    docker rm -f $(cat "$state/new") >/dev/null 2>&1 || true
    rm -rf -- "$state"
  fi
done
rmdir .slipway-bg/next 2>/dev/null || true
