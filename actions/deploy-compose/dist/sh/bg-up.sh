# shellcheck shell=sh
# Blue-green, phase 1 (bg-up for each changed service, then bg-switch and bg-keep for all of them at once;
# bg-back goes back from either): the new colour of SERVICE starts beside the old one (`--scale 2N
# --no-recreate`), on its networks WITHOUT the service's aliases, and STAYS out of the rotation: once healthy
# (HEALTH_SECONDS, HTTP_CHECK) and answering on the ports the proxies use (UPSTREAM_PORTS), it waits there while
# the proxies still send every request to the old colour. New containers that fail are removed. The containers
# and their networks are kept in .slipway-bg/next/SERVICE. Prints `new ID ADDRESS` (the address on its first
# network, where the pre-switch checks reach it).
state=".slipway-bg/next/$SERVICE"
rm -rf -- "$state"
mkdir -p -- "$state"
bg_fail() {
  # shellcheck disable=SC2046
  docker rm -f $(cat "$state/new" 2>/dev/null) >/dev/null 2>&1 || true
  rm -rf -- "$state"
  exit 1
}
new_beside_old "$state"
# shellcheck disable=SC2154 # set by lib.sh
if [ "$created" != yes ]; then bg_fail; fi
new=$(cat "$state/new")
set -f
# shellcheck disable=SC2086
boot_out_of_rotation "$state" $new
# shellcheck disable=SC2154 # set by lib.sh
if [ "$booted" != yes ]; then bg_fail; fi
for id in $new; do
  printf 'new %s %s\n' "$id" "$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$id" | cut -d' ' -f1)"
done
