# shellcheck shell=sh
# Canary, each step (after canary-open; then roll-switch at 100%, roll-finish; roll-undo aborts from any step).
# CANARY_NEW new containers of SERVICE beside the old ones recorded by canary-open: later steps add to the ones
# already there (`--scale old+CANARY_NEW --no-recreate`). Each added container boots without the service's
# aliases and must get healthy (HEALTH_SECONDS, HTTP_CHECK) and answer on UPSTREAM_PORTS; one that does not fails
# the step (exit 1) and is left for roll-undo, which removes every new container. Then, by the way canary-open
# found:
# - CANARY_WEIGHTS='OLD NEW' (weights, a step below 100%): the new containers stay out of the DNS name and are
#   servers of the HAProxy backends / the opted-in Nginx upstreams weighted NEW, the old servers OLD (weights.sh);
# - CANARY_WEIGHTS='' with CANARY_MODE=weights (the 100% step): every request goes back to the old servers (the
#   canary servers in maintenance, Nginx's file as shipped), then every new container joins the DNS name;
#   roll-switch's reload then resolves the name to the new containers alone;
# - CANARY_MODE=replicas: the added containers join the DNS name and the proxies that resolve names once are
#   reloaded, so proxies that round-robin give the new version CANARY_NEW/(old+CANARY_NEW).
# Prints `canary NEW OLD`.
state=".slipway-roll/$SERVICE"
if [ ! -f "$state/old" ]; then echo "no canary of $SERVICE is open on this host" >&2; exit 1; fi
old_count=$(grep -c . "$state/old" || true)
have=$(grep -c . "$state/new" || true)
added=''
if [ "$CANARY_NEW" -gt "$have" ]; then
  dc up --no-start --no-deps --no-recreate --scale "$SERVICE=$((old_count + CANARY_NEW))" "$SERVICE"
  added=$(svc_all "$SERVICE" | grep -v -x -F -f "$state/old" | grep -v -x -F -f "$state/new" || true)
  if [ -z "$added" ]; then echo "no new container of $SERVICE was created" >&2; exit 1; fi
  printf '%s\n' "$added" >> "$state/new"
  set -f
  # shellcheck disable=SC2086
  boot_out_of_rotation "$state" $added
  # shellcheck disable=SC2154 # set by lib.sh
  if [ "$booted" != yes ]; then exit 1; fi
  set +f
fi
set -f
if [ "$CANARY_MODE" != weights ]; then
  if [ -n "$added" ]; then
    for id in $added; do in_rotation "$id" "$state/$id"; done
    reload_proxies joined
  fi
elif [ -n "$CANARY_WEIGHTS" ]; then
  # shellcheck disable=SC2086
  if ! weights_set "$state" $CANARY_WEIGHTS; then exit 1; fi
else
  weights_release "$state"
  # requests already on their way to the canary servers end before the new containers reconnect
  nap 1
  # shellcheck disable=SC2013
  for id in $(cat "$state/new"); do in_rotation "$id" "$state/$id"; done
  : > "$state/joined"
fi
set +f
echo "canary $(grep -c . "$state/new") $old_count"
