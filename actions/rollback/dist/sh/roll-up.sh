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
old=$(svc_ids "$SERVICE")
printf '%s\n' "$old" | grep . > "$state/old" || true
count=$(grep -c . "$state/old" || true)
if [ "$count" -eq 0 ]; then
  dc up --no-start --no-deps "$SERVICE"
else
  dc up --no-start --no-deps --no-recreate --scale "$SERVICE=$((count * 2))" "$SERVICE"
fi
svc_all "$SERVICE" | grep -v -x -F -f "$state/old" > "$state/new" || true
if [ ! -s "$state/new" ]; then echo "no new container of $SERVICE was created" >&2; roll_done; exit 1; fi
new=$(cat "$state/new")
set -f
for id in $new; do
  networks_of "$id" > "$state/$id"
  out_of_rotation "$id" "$state/$id"
done
# shellcheck disable=SC2013
for id in $(cat "$state/old"); do networks_of "$id" > "$state/$id"; done
# shellcheck disable=SC2086
docker start $new >/dev/null
# shellcheck disable=SC2086
if ! wait_healthy "$HEALTH_SECONDS" "$HTTP_CHECK" $new; then
  # shellcheck disable=SC2086
  docker rm -f $new >/dev/null
  roll_done
  exit 1
fi
# The ports the proxies send requests on (UPSTREAM_PORTS) must answer HTTP on every new container before it
# joins the rotation: a container that is healthy by its own check but deaf where the proxy dials is never used.
# shellcheck disable=SC2086
if ! upstreams_ok $new; then
  # shellcheck disable=SC2086
  docker rm -f $new >/dev/null
  roll_done
  exit 1
fi
for id in $new; do in_rotation "$id" "$state/$id"; done
set +f
reload_proxies
sed 's/^/new /' "$state/new"
