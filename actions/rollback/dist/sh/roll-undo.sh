# shellcheck shell=sh
# Rolling, back from phase 1 or 2: the old containers of SERVICE rejoin the rotation (if the switch took them
# out), the new ones leave it, the proxies are reloaded, and once requests already sent to the new ones had
# DRAIN seconds to end, the new containers are removed. The old ones never stopped.
state=".slipway-roll/$SERVICE"
if [ ! -d "$state" ]; then exit 0; fi
set -f
if [ -f "$state/switched" ]; then
  # shellcheck disable=SC2013
  for id in $(cat "$state/old"); do in_rotation "$id" "$state/$id"; done
fi
new=$(cat "$state/new")
for id in $new; do out_of_rotation "$id" "$state/$id"; done
set +f
reload_proxies
sleep "$DRAIN"
# shellcheck disable=SC2086
docker rm -f $new >/dev/null
roll_done
