# shellcheck shell=sh
# Rolling, phase 1 of 3 (roll-up, roll-switch, roll-finish; roll-undo goes back from 1 or 2): new containers of
# SERVICE next to the old ones (`--scale 2N --no-recreate`), attached to their networks WITHOUT the service's
# aliases while they boot; once healthy (HEALTH_SECONDS, HTTP_CHECK) they join the rotation beside the old ones
# and the proxies that resolve names once are reloaded, so every proxy can send to old and new alike. New
# containers that never get healthy, or that do not answer on the ports the proxies use (UPSTREAM_PORTS), are
# removed: the old ones never stopped serving. The containers and their
# networks are kept in .slipway-roll/SERVICE for the next phases. Prints `new ID` lines.
state=".slipway-roll/$SERVICE"
roll_done
mkdir -p -- "$state"
new_beside_old "$state"
# shellcheck disable=SC2154 # set by lib.sh
if [ "$created" != yes ]; then roll_done; exit 1; fi
new=$(cat "$state/new")
set -f
# shellcheck disable=SC2086
boot_out_of_rotation "$state" $new
# shellcheck disable=SC2154 # set by lib.sh
if [ "$booted" != yes ]; then
  # shellcheck disable=SC2086
  docker rm -f $new >/dev/null
  roll_done
  exit 1
fi
for id in $new; do in_rotation "$id" "$state/$id"; done
set +f
reload_proxies joined
sed 's/^/new /' "$state/new"
