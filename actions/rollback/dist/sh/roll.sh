# shellcheck shell=sh
# Rolls one service (SERVICE) with no gap: new containers next to the old ones (`--scale 2N --no-recreate`),
# created first and attached to their networks WITHOUT the service's aliases, so a DNS-following proxy cannot
# send them traffic while they boot; once healthy (HEALTH_SECONDS, HTTP_CHECK) they get their aliases back.
# Then the old ones leave the networks, drain and stop. New containers that never get healthy are removed;
# the old ones never stopped serving.
old=$(svc_ids "$SERVICE")
count=$(printf '%s\n' "$old" | grep -c . || true)
if [ "$count" -eq 0 ]; then
  dc up --no-start --no-deps "$SERVICE"
else
  dc up --no-start --no-deps --no-recreate --scale "$SERVICE=$((count * 2))" "$SERVICE"
fi
new=$(svc_all "$SERVICE" | grep -v -x -F "$old" || true)
if [ -z "$new" ]; then echo "no new container of $SERVICE was created" >&2; exit 1; fi
nets="$SLIPWAY_TMP/networks"
mkdir -- "$nets"
set -f
for id in $new; do
  docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{join $v.Aliases " "}}{{println}}{{end}}' "$id" > "$nets/$id"
  while read -r net aliases; do
    if [ -z "$net" ]; then continue; fi
    docker network disconnect "$net" "$id"
    docker network connect "$net" "$id"
  done < "$nets/$id"
done
# shellcheck disable=SC2086
docker start $new >/dev/null
# shellcheck disable=SC2086
if ! wait_healthy "$HEALTH_SECONDS" "$HTTP_CHECK" $new; then
  # shellcheck disable=SC2086
  docker rm -f $new >/dev/null
  exit 1
fi
for id in $new; do
  while read -r net aliases; do
    if [ -z "$net" ]; then continue; fi
    set --
    for alias in $aliases; do set -- "$@" --alias "$alias"; done
    docker network disconnect "$net" "$id"
    docker network connect "$@" "$net" "$id"
  done < "$nets/$id"
done
set +f
# shellcheck disable=SC2086
if [ -n "$old" ]; then retire $old; fi
stopped=$(svc_all "$SERVICE" | grep -v -x -F "$new" || true)
# shellcheck disable=SC2086
if [ -n "$stopped" ]; then docker rm -f $stopped >/dev/null; fi
