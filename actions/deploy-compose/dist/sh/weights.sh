# shellcheck shell=sh
# A canary's share given by server weights, where the project's proxies offer them (reads SERVICE and PROXIES;
# keeps what it found in the canary's folder, STATE):
# - HAProxy, through its runtime API (the `stats socket PATH ... level admin` line rolling already asks for;
#   HAProxy 2.6 adds servers to a running backend: `add server`), talked to with `docker exec -i PROXY socat`, as
#   the official haproxy image carries socat. STATE/haproxy: per container and backend, `ID SOCKET BACKEND PORT
#   COUNT SERVER:WEIGHT...` (the servers of the old containers and their weights before the canary); STATE/added:
#   the canary servers added.
# - Nginx (open source: no runtime API), by opt-in: an `upstream` block that includes a file named
#   `slipway-SERVICE.conf` holding `server SERVICE:PORT;`, bind-mounted from the host. Each step rewrites that file
#   on the host (`server SERVICE:PORT weight=OLD; server ADDRESS:PORT weight=NEW;`), checks it (nginx -t) and
#   reloads; the end of the canary puts the file back as it was. STATE/nginx: `ID HOST-PATH PORT` per container,
#   STATE/nginx-N.orig: the file as it was.

# weights_open STATE: what each proxy of PROXIES can do for the old containers of SERVICE (STATE/old). Prints
# `servers COUNT KIND` per HAProxy backend or Nginx container that takes weights (COUNT servers of the old
# containers in it), `replicas PROXY KIND` per proxy that follows DNS (Caddy, Traefik, Nginx without the opt-in),
# `replicas PROXY WHY` for a proxy whose weights were asked for but cannot be used. Returns 1 unless every proxy
# takes weights.
weights_open() {
  : > "$1/haproxy"
  : > "$1/nginx"
  if [ -z "$PROXIES" ]; then echo "replicas - the project has no proxy in front of $SERVICE"; return 1; fi
  weights_out=$(printf '%s\n' "$PROXIES" | while read -r proxy kind _; do
    case "$kind" in
      haproxy) haproxy_open "$1" "$proxy" ;;
      nginx) for id in $(svc_ids "$proxy"); do nginx_open "$1" "$proxy" "$id" || break; done ;;
      *) echo "replicas $proxy $kind" ;;
    esac
  done)
  printf '%s\n' "$weights_out"
  if printf '%s\n' "$weights_out" | grep -q '^replicas '; then : > "$1/haproxy"; : > "$1/nginx"; return 1; fi
}

# shared_address ID PROXY: the address of container ID on the first network it shares with the PROXY container
# (the one the proxy reaches it on; a container on several networks lists them by name), else its first address.
shared_address() {
  for net in $(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$2"); do
    shared=$(docker inspect -f "{{with index .NetworkSettings.Networks \"$net\"}}{{.IPAddress}}{{end}}" "$1")
    if [ -n "$shared" ]; then echo "$shared"; return 0; fi
  done
  docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$1" | cut -d' ' -f1
}

# weights_set STATE OLD NEW: every new container of STATE/new gets NEW, the old ones OLD, on every proxy found.
weights_set() {
  touch "$1/weighted"
  haproxy_weights "$@" && nginx_weights "$@"
}

# weights_release STATE: every request back to the old containers (their weights as before the canary).
weights_release() {
  haproxy_release "$1"
  nginx_release "$1"
}

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

# haproxy_open STATE PROXY: for each container of PROXY, the backends with servers on the old containers
# (STATE/haproxy), `servers COUNT haproxy` per backend; or `replicas PROXY WHY`.
haproxy_open() {
  hap_ips=' '
  # shellcheck disable=SC2013
  for id in $(cat "$1/old"); do
    hap_ips="$hap_ips$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$id")"
  done
  for id in $(svc_ids "$2"); do
    socket=$(haproxy_socket "$id")
    if [ -z "$socket" ]; then
      echo "replicas $2 its configuration has no \`stats socket\` (add \`stats socket /run/haproxy/admin.sock mode 600 level admin\` to its global section)"
      return 1
    fi
    if ! docker exec "$id" socat -V >/dev/null 2>&1; then
      echo "replicas $2 its container has no socat to reach the runtime API at $socket (the official haproxy image has it since November 2025; else add it to the image)"
      return 1
    fi
    level=$(haproxy_cli "$id" "$socket" 'show cli level' 2>/dev/null | head -n 1)
    if [ "$level" != admin ]; then
      echo "replicas $2 its runtime API at $socket answers at level ${level:-nothing}, not admin (add \`level admin\` to its \`stats socket\` line)"
      return 1
    fi
    haproxy_cli "$id" "$socket" 'show servers state' | awk -v ips="$hap_ips" '
      NF >= 19 && $1 ~ /^[0-9]+$/ && index(ips, " " $5 " ") {
        if (!($2 in n)) { order[++backends] = $2; port[$2] = $19 }
        n[$2]++; s[$2] = s[$2] " " $4 ":" $8
      }
      END { for (i = 1; i <= backends; i++) { b = order[i]; print b, port[b], n[b] s[b] } }' \
      | sed "s|^|$id $socket |" >> "$1/haproxy"
    if ! grep -q "^$id " "$1/haproxy"; then
      echo "replicas $2 none of its backend servers points at an address of $SERVICE's containers"
      return 1
    fi
    grep "^$id " "$1/haproxy" | awk '{ print "servers " $5 " haproxy" }'
  done
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
  if [ ! -s "$1/haproxy" ]; then return 0; fi
  touch "$1/added"
  while read -r id socket backend port _count servers; do
    hap_cmds=''
    # shellcheck disable=SC2013
    for new in $(cat "$1/new"); do
      name="$backend/slipway-canary-$(printf '%.12s' "$new")"
      if ! grep -q -x -F "$id $name" "$1/added"; then
        ip=$(shared_address "$new" "$id")
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

# nginx_open STATE PROXY ID: the opt-in of one Nginx container: the file `slipway-SERVICE.conf` among those its
# configuration loads (nginx -T), the host file it is mounted from, and the port of its `server SERVICE:PORT`
# line. Prints `servers COUNT nginx` (COUNT: the old containers, as `SERVICE` resolves to each of them), or
# `replicas PROXY nginx` (no such file: Nginx follows DNS), or `replicas PROXY WHY` (a file that cannot be used).
nginx_open() {
  ngx_conf=$(docker inspect -f '{{join .Args " "}}' "$3" | sed -n 's/.*-c \([^ ]*\).*/\1/p')
  ngx_file=$(docker exec "$3" nginx -T -c "${ngx_conf:-/etc/nginx/nginx.conf}" 2>/dev/null \
    | sed -n "s|^# configuration file \(.*/slipway-$SERVICE\.conf\):\$|\1|p" | head -n 1)
  if [ -z "$ngx_file" ]; then echo "replicas $2 nginx"; return 1; fi
  ngx_source=$(docker inspect -f '{{range .Mounts}}{{.Destination}} {{.Source}}{{println}}{{end}}' "$3" \
    | awk -v f="$ngx_file" '$1 != "" && (f == $1 || index(f, $1 "/") == 1) && length($1) > best {
        best = length($1); out = $2 substr(f, length($1) + 1) } END { print out }')
  if [ -z "$ngx_source" ] || [ ! -f "$ngx_source" ] || [ ! -w "$ngx_source" ]; then
    echo "replicas $2 its $ngx_file is not bind-mounted from a file the deploy can write on the host (ship it with \`files\` and mount it from the project folder)"
    return 1
  fi
  ngx_port=$(sed -n "s/^[[:space:]]*server[[:space:]][[:space:]]*$SERVICE:\([0-9][0-9]*\)[[:space:];].*/\1/p" "$ngx_source" | head -n 1)
  if [ -z "$ngx_port" ]; then
    echo "replicas $2 its $ngx_file has no \`server $SERVICE:PORT;\` line"
    return 1
  fi
  ngx_n=$(( $(grep -c . "$1/nginx" || true) + 1 ))
  cp -- "$ngx_source" "$1/nginx-$ngx_n.orig"
  echo "$3 $ngx_source $ngx_port" >> "$1/nginx"
  echo "servers $(grep -c . "$1/old" || true) nginx"
}

# nginx_weights STATE OLD NEW: each opted-in file gets `weight=OLD` on its `server SERVICE:PORT` line and a
# `server ADDRESS:PORT weight=NEW;` line per new container; Nginx checks it (nginx -t: a refused file is put back
# and the step fails) and reloads.
nginx_weights() {
  ngx_n=0
  while read -r id source port; do
    ngx_n=$((ngx_n + 1))
    ngx_add=''
    # shellcheck disable=SC2013
    for new in $(cat "$1/new"); do
      ip=$(shared_address "$new" "$id")
      ngx_add="$ngx_add  server $ip:$port weight=$3;\\n"
    done
    awk -v svc="$SERVICE:$port" -v o="$2" -v add="$ngx_add" '
      !done && $1 == "server" && ($2 == svc || $2 == svc ";") {
        line = $0; sub(/;[[:space:]]*(#.*)?$/, "", line); print line " weight=" o ";"; printf "%s", add; done = 1; next
      }
      { print }' "$1/nginx-$ngx_n.orig" > "$1/nginx-$ngx_n.new"
    cat -- "$1/nginx-$ngx_n.new" > "$source"
    if ! check_proxy_config "$id" nginx >&2; then
      cat -- "$1/nginx-$ngx_n.orig" > "$source"
      echo "Nginx in $(docker inspect -f '{{.Name}}' "$id" | tr -d /) refused the canary's weights in $source (above); it was put back" >&2
      return 1
    fi
    reload_proxy "$id" nginx
  done < "$1/nginx"
}

# nginx_release STATE: each opted-in file as it was before the canary, and Nginx reloaded.
nginx_release() {
  if [ ! -f "$1/weighted" ] || [ ! -s "$1/nginx" ]; then return 0; fi
  ngx_n=0
  while read -r id source _port; do
    ngx_n=$((ngx_n + 1))
    cat -- "$1/nginx-$ngx_n.orig" > "$source"
    reload_proxy "$id" nginx
  done < "$1/nginx"
}
