# shellcheck shell=sh
# A canary's share given by server weights, through HAProxy's runtime API (the `stats socket PATH ... level admin`
# line rolling already asks for; HAProxy 2.6 adds servers to a running backend: `add server`). Talks to it with
# `docker exec -i PROXY socat`, as the official haproxy image carries socat. Reads SERVICE and PROXIES; keeps,
# per HAProxy container, `ID SOCKET BACKEND PORT COUNT SERVER:WEIGHT...` in .slipway-roll/SERVICE/haproxy (the
# servers of the old containers and their weights before the canary) and the canary servers it added in
# .slipway-roll/SERVICE/added.

# haproxy_cli ID SOCKET COMMANDS: one connection to the runtime API in the container; COMMANDS separated by `;`.
haproxy_cli() {
  printf '%s\n' "$3" | docker exec -i "$1" socat -t 5 stdio "UNIX-CONNECT:$2"
}

# haproxy_socket ID: the path of the first `stats socket` of the container's configuration (the file its -f
# names). Prints nothing when there is none, or it listens on TCP.
haproxy_socket() {
  hap_config=$(docker inspect -f '{{join .Args " "}}' "$1" | sed -n 's/.*-f \([^ ]*\).*/\1/p')
  docker exec "$1" cat "${hap_config:-/usr/local/etc/haproxy/haproxy.cfg}" 2>/dev/null \
    | sed -n 's/^[[:space:]]*stats[[:space:]][[:space:]]*socket[[:space:]][[:space:]]*\(unix@\)\{0,1\}\(\/[^[:space:]]*\).*/\2/p' \
    | head -n 1
}

# haproxy_open STATE: finds, in each HAProxy of PROXIES, the backend servers that point at the old containers of
# SERVICE (STATE/old). Prints `servers COUNT` per backend holding some, or one `replicas PROXY WHY` line when a
# proxy cannot take weights (any other kind of proxy: `replicas PROXY KIND`). Returns 1 when weights cannot be used.
haproxy_open() {
  hap_ips=' '
  # shellcheck disable=SC2013
  for id in $(cat "$1/old"); do
    hap_ips="$hap_ips$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$id")"
  done
  : > "$1/haproxy"
  if [ -z "$PROXIES" ]; then echo "replicas - the project has no proxy in front of $SERVICE"; return 1; fi
  hap_failed=$(printf '%s\n' "$PROXIES" | while read -r proxy kind; do
    if [ "$kind" != haproxy ]; then echo "replicas $proxy $kind"; continue; fi
    for id in $(svc_ids "$proxy"); do
      socket=$(haproxy_socket "$id")
      if [ -z "$socket" ]; then
        echo "replicas $proxy its configuration has no \`stats socket\` (add \`stats socket /run/haproxy/admin.sock mode 600 level admin\` to its global section)"
        break
      fi
      if ! docker exec "$id" socat -V >/dev/null 2>&1; then
        echo "replicas $proxy its container has no socat to reach the runtime API at $socket (the official haproxy image has it since 2.6.x of November 2025; else add it to the image)"
        break
      fi
      level=$(haproxy_cli "$id" "$socket" 'show cli level' 2>/dev/null | head -n 1)
      if [ "$level" != admin ]; then
        echo "replicas $proxy its runtime API at $socket answers at level ${level:-nothing}, not admin (add \`level admin\` to its \`stats socket\` line)"
        break
      fi
      haproxy_cli "$id" "$socket" 'show servers state' | awk -v ips="$hap_ips" '
        NF >= 19 && $1 ~ /^[0-9]+$/ && index(ips, " " $5 " ") {
          if (!($2 in n)) { order[++backends] = $2; port[$2] = $19 }
          n[$2]++; s[$2] = s[$2] " " $4 ":" $8
        }
        END { for (i = 1; i <= backends; i++) { b = order[i]; print b, port[b], n[b] s[b] } }' \
        | sed "s|^|$id $socket |" >> "$1/haproxy"
      if ! grep -q "^$id " "$1/haproxy"; then
        echo "replicas $proxy none of its backend servers points at an address of $SERVICE's containers"
        break
      fi
    done
  done)
  if [ -n "$hap_failed" ]; then printf '%s\n' "$hap_failed"; : > "$1/haproxy"; return 1; fi
  awk '{ print "servers " $5 }' "$1/haproxy"
}

# haproxy_refused ID OUTPUT: fails, saying what HAProxy answered, unless OUTPUT holds only empty lines and
# `New server registered.` (what `add server` says; `set`, `enable` say nothing when they work).
haproxy_refused() {
  hap_left=$(printf '%s\n' "$2" | grep -v -x -e '' -e 'New server registered.' || true)
  if [ -z "$hap_left" ]; then return 1; fi
  echo "HAProxy in $(docker inspect -f '{{.Name}}' "$1" | tr -d /) refused the canary's weights: $hap_left" >&2
}

# haproxy_weights STATE OLD NEW: every new container of STATE/new is a server of each backend of STATE/haproxy
# (added the first time, at the port of the old servers), weighted NEW, the old servers OLD, all at once.
haproxy_weights() {
  touch "$1/added"
  while read -r id socket backend port _count servers; do
    hap_cmds=''
    # shellcheck disable=SC2013
    for new in $(cat "$1/new"); do
      name="$backend/slipway-canary-$(printf '%.12s' "$new")"
      if ! grep -q -x -F "$id $name" "$1/added"; then
        ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$new" | cut -d' ' -f1)
        hap_cmds="${hap_cmds}add server $name $ip:$port weight $3; "
        echo "$id $name" >> "$1/added"
      fi
    done
    for server in $servers; do hap_cmds="${hap_cmds}set server $backend/${server%:*} weight $2; "; done
    # shellcheck disable=SC2013
    for new in $(cat "$1/new"); do
      name="$backend/slipway-canary-$(printf '%.12s' "$new")"
      hap_cmds="${hap_cmds}set server $name weight $3; enable server $name; "
    done
    hap_out=$(haproxy_cli "$id" "$socket" "${hap_cmds%; }") || return 1
    if haproxy_refused "$id" "$hap_out"; then return 1; fi
  done < "$1/haproxy"
}

# haproxy_release STATE: the canary servers go to maintenance (no new request reaches them) and the old servers
# get their weights back, in one command per HAProxy. What HAProxy refuses is said, and the rest goes on.
haproxy_release() {
  if [ ! -s "$1/added" ]; then return 0; fi
  while read -r id socket backend _port _count servers; do
    hap_cmds=''
    # shellcheck disable=SC2013
    for name in $(grep "^$id $backend/" "$1/added" | cut -d' ' -f2); do
      hap_cmds="${hap_cmds}set server $name state maint; "
    done
    for server in $servers; do hap_cmds="${hap_cmds}set server $backend/${server%:*} weight ${server##*:}; "; done
    hap_out=$(haproxy_cli "$id" "$socket" "${hap_cmds%; }") || true
    haproxy_refused "$id" "$hap_out" || true
  done < "$1/haproxy"
}

# haproxy_forget STATE: the canary servers leave their backends (`del server`; one a reload already dropped, or
# still holding a connection, is left: a later reload drops it).
haproxy_forget() {
  if [ ! -s "$1/added" ]; then return 0; fi
  while read -r id name; do
    socket=$(grep "^$id " "$1/haproxy" | head -n 1 | cut -d' ' -f2)
    haproxy_cli "$id" "$socket" "del server $name" >/dev/null 2>&1 || true
  done < "$1/added"
}
