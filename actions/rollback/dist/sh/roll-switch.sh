# shellcheck shell=sh
# Rolling, phase 2: the old containers of SERVICE leave the rotation (out of DNS, same addresses, still running)
# and the proxies that keep what they found under the name are reloaded (reload_proxies: Nginx, HAProxy, a Caddy
# that pools by name), so new requests reach only the new containers. With ENTRY_CHECK=yes, the entry point (the
# ports the project's proxies publish here) must then answer within ENTRY_SECONDS, else exit 3 (the runner undoes
# the switch: roll-undo).
state=".slipway-roll/$SERVICE"
: > "$state/switched"
set -f
# shellcheck disable=SC2013
for id in $(cat "$state/old"); do out_of_rotation "$id" "$state/$id"; done
set +f
reload_proxies
if [ "$ENTRY_CHECK" = yes ] && ! wait_entry "$ENTRY_SECONDS"; then exit 3; fi
