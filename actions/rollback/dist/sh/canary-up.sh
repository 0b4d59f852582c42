# shellcheck shell=sh
# Canary, each step below 100% (then roll-switch, roll-finish; roll-undo aborts from any step): CANARY_NEW new
# containers of SERVICE in rotation beside the old ones, so proxies that round-robin over the service's DNS name
# give the new version CANARY_NEW/(old+CANARY_NEW) of the requests. The first step (CANARY_FIRST=yes) records the
# old containers in .slipway-roll/SERVICE, as roll-up does; later steps add new containers to the ones already in
# rotation (`--scale old+CANARY_NEW --no-recreate`). Each added container boots without the service's aliases and
# joins the rotation once healthy (HEALTH_SECONDS, HTTP_CHECK) and answering on UPSTREAM_PORTS; then the proxies
# that resolve names once are reloaded. A container that does not get there fails the step (exit 1) and is left
# for roll-undo, which removes every new container. Prints `canary NEW OLD`.
state=".slipway-roll/$SERVICE"
if [ "$CANARY_FIRST" = yes ]; then
  roll_done
  mkdir -p -- "$state"
  svc_ids "$SERVICE" | grep . > "$state/old" || true
  : > "$state/new"
  # shellcheck disable=SC2013
  for id in $(cat "$state/old"); do networks_of "$id" > "$state/$id"; done
fi
if [ ! -f "$state/old" ]; then echo "no canary of $SERVICE is open on this host" >&2; exit 1; fi
old_count=$(grep -c . "$state/old" || true)
have=$(grep -c . "$state/new" || true)
if [ "$CANARY_NEW" -gt "$have" ]; then
  dc up --no-start --no-deps --no-recreate --scale "$SERVICE=$((old_count + CANARY_NEW))" "$SERVICE"
  added=$(svc_all "$SERVICE" | grep -v -x -F -f "$state/old" | grep -v -x -F -f "$state/new" || true)
  if [ -z "$added" ]; then echo "no new container of $SERVICE was created" >&2; exit 1; fi
  printf '%s\n' "$added" >> "$state/new"
  set -f
  for id in $added; do
    networks_of "$id" > "$state/$id"
    out_of_rotation "$id" "$state/$id"
  done
  # shellcheck disable=SC2086
  docker start $added >/dev/null
  # shellcheck disable=SC2086
  if ! wait_healthy "$HEALTH_SECONDS" "$HTTP_CHECK" $added; then exit 1; fi
  # shellcheck disable=SC2086
  if ! upstreams_ok $added; then exit 1; fi
  for id in $added; do in_rotation "$id" "$state/$id"; done
  set +f
  reload_proxies
fi
echo "canary $(grep -c . "$state/new") $old_count"
