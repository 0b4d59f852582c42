# shellcheck shell=sh
# Blue-green, phase 2: the switch of every service in SERVICES at once. The new colour joins the rotation (its
# aliases back) before the old one leaves it (same addresses, still running), so the service's name never
# resolves to nothing, and the proxies that resolve names once (Nginx, HAProxy) are reloaded after each of the
# two moves, a Caddy that pools by name after the second (reload_proxies): for that moment both colours answer,
# and no request fails. With ENTRY_CHECK=yes, the entry point must then answer within ENTRY_SECONDS, else exit 3
# (the runner switches back: bg-back).
set -f
for service in $SERVICES; do
  : > ".slipway-bg/next/$service/switched"
done
for service in $SERVICES; do
  state=".slipway-bg/next/$service"
  # shellcheck disable=SC2013
  for id in $(cat "$state/new"); do in_rotation "$id" "$state/$id"; done
done
# A proxy that resolves names once must know the new colour before the old one's aliases move: an alias moves by
# a reconnect, and for that instant the old colour does not answer; a proxy that knows only the old colour then
# fails the requests it sends (seen under load), one that knows both retries them on the new colour.
set +f
reload_proxies joined
# HAProxy's and Nginx's workers from before that reload finish the requests of open client connections with what
# they knew (the outgoing colour only) and close them: a moment (POLL) for that, before its aliases move.
if printf '%s\n' "$PROXIES" | grep -q -E ' (nginx|haproxy)$'; then sleep "$POLL"; fi
set -f
for service in $SERVICES; do
  state=".slipway-bg/next/$service"
  # shellcheck disable=SC2013
  for id in $(cat "$state/old"); do out_of_rotation "$id" "$state/$id"; done
done
set +f
reload_proxies
if [ "$ENTRY_CHECK" = yes ] && ! wait_entry "$ENTRY_SECONDS"; then exit 3; fi
