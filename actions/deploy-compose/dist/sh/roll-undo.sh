# shellcheck shell=sh
# Rolling, back from phase 1 or 2: the old containers of SERVICE rejoin the rotation (if the switch took them
# out), the new ones leave it, the proxies are reloaded, and once requests already sent to the new ones had
# DRAIN seconds to end, the new containers are removed. The old ones never stopped. A canary by weights
# (weights.sh) first sends every request back to the old servers (HAProxy's runtime API; Nginx's file as shipped,
# reloaded); its new containers never joined the DNS name unless its 100% step began (`joined`), so nothing else
# is reloaded then.
state=".slipway-roll/$SERVICE"
if [ ! -d "$state" ]; then exit 0; fi
if [ ! -f "$state/switched" ]; then weights_release "$state"; fi
set -f
if [ -f "$state/switched" ]; then
  # shellcheck disable=SC2013
  for id in $(cat "$state/old"); do in_rotation "$id" "$state/$id"; done
fi
new=$(cat "$state/new")
if [ ! -f "$state/weighted" ] || [ -f "$state/joined" ] || [ -f "$state/switched" ]; then
  for id in $new; do out_of_rotation "$id" "$state/$id"; done
  set +f
  reload_proxies
fi
set +f
sleep "$DRAIN"
haproxy_forget "$state"
# shellcheck disable=SC2086
if [ -n "$new" ]; then docker rm -f $new >/dev/null; fi
roll_done
