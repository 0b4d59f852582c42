# shellcheck shell=sh
# Functions every project script starts with. Inputs (quoted assignments before this file):
#   PROJECT            the Compose project name
#   POLL, DRAIN        seconds between health polls; seconds an old container drains before it stops
#   READY_STATUS       statuses that mean "not up yet" (the health gate's list, src/ready-status.ts)
# and, from prelude.sh, PROJECT_DIRECTORY and RELEASE_FILES.

# Compose v2 (the `docker compose` plugin) when the host has it, else v1 (`docker-compose`). COMPOSE_KIND starts
# empty in every command (an environment variable of that name on the host is not trusted).
COMPOSE_KIND=''
compose() {
  compose_kind || return
  if [ "$COMPOSE_KIND" = v2 ]; then docker compose "$@"; else docker-compose "$@"; fi
}

# compose_kind: sets COMPOSE_KIND (v2: the docker compose plugin; v1: docker-compose), asking Docker once per
# command: each `docker compose version` is a Compose start (~60 ms). Called in a subshell (a pipeline, $(...)),
# the answer stays there: call it first in the command's own shell where several Compose calls follow.
compose_kind() {
  if [ -n "${COMPOSE_KIND-}" ]; then return 0; fi
  if docker compose version >/dev/null 2>&1; then COMPOSE_KIND=v2
  elif command -v docker-compose >/dev/null 2>&1; then COMPOSE_KIND=v1
  else echo "neither docker compose (the Compose v2 plugin) nor docker-compose (v1) is installed on this host: install one for the SSH user (Debian: docker-compose-plugin, or docker-compose)" >&2; return 127; fi
}

# nap SECONDS: sleep, in fractions of a second where the host's sleep takes them (GNU, busybox), else for 1 s.
nap() {
  sleep "$1" 2>/dev/null || sleep 1
}

# Compose for the release: its files (RELEASE_FILES: generated, safe words only, so split on purpose) from the
# release's folder, in PROJECT_DIRECTORY, where references relative to the Compose files resolve.
dc() {
  # shellcheck disable=SC2086
  compose -p "$PROJECT" --project-directory "$PROJECT_DIRECTORY" $RELEASE_FILES "$@"
}

svc_ids() {
  docker ps -q --no-trunc --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1"
}

svc_all() {
  docker ps -aq --no-trunc --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1"
}

state_of() {
  docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1"
}

# status_in LIST CODE: CODE is in LIST, statuses and ranges separated by commas (404,500-599).
status_in() {
  for item in $(echo "$1" | tr ',' ' '); do
    case "$item" in
      *-*) if [ "$2" -ge "${item%-*}" ] && [ "$2" -le "${item#*-}" ]; then return 0; fi ;;
      *) if [ "$2" = "$item" ]; then return 0; fi ;;
    esac
  done
  return 1
}

# The HTTP check against one container, by its address on its first network. Returns 0 when it answers (a status
# below 400), 1 when it is not up yet (no answer, or a status of READY_STATUS: the health gate's own list, passed
# in), 2 when it is broken (any other status, left in HTTP_STATUS). busybox wget prints no status of its own:
# the last status line of its -S headers (after any redirect) is read instead; its -T crashes Debian 12's busybox
# (1.35), so `timeout` bounds it.
http_ok() {
  ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$1" | cut -d' ' -f1)
  if command -v curl >/dev/null 2>&1; then
    HTTP_STATUS=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "http://$ip$2" 2>/dev/null || true)
  else
    HTTP_STATUS=$(timeout 5 wget -S -O /dev/null "http://$ip$2" 2>&1 | sed -n 's|^ *HTTP/[0-9.]* \([0-9][0-9][0-9]\).*|\1|p' | tail -n 1)
  fi
  case "${HTTP_STATUS:-000}" in
    000) return 1 ;;
    [23][0-9][0-9]) return 0 ;;
  esac
  if status_in "$READY_STATUS" "$HTTP_STATUS"; then return 1; fi
  return 2
}

# wait_healthy SECONDS HTTP_CHECK ID...: every container running, healthy (or without a healthcheck) and
# answering HTTP_CHECK (when not empty). A container that stops or turns unhealthy fails at once, with its story.
wait_healthy() {
  limit=$1; check=$2; shift 2
  deadline=$(( $(date +%s) + limit ))
  while :; do
    pending=0
    for id in "$@"; do
      st=$(state_of "$id")
      case "$st" in
        "running healthy"|"running none")
          answer=0
          if [ -n "$check" ]; then http_ok "$id" "$check" || answer=$?; fi
          if [ "$answer" = 2 ]; then
            echo "container $(docker inspect -f '{{.Name}}' "$id" | tr -d /) answered HTTP $HTTP_STATUS on $check: broken, not \"not up yet\" ($READY_STATUS)" >&2
            return 1
          fi
          if [ "$answer" = 1 ]; then pending=1; fi ;;
        "running starting") pending=1 ;;
        *)
          echo "container $(docker inspect -f '{{.Name}}' "$id" | tr -d /) is $st" >&2
          docker inspect -f '{{if .State.Health}}{{range .State.Health.Log}}{{.Output}}{{end}}{{end}}' "$id" | tail -n 3 >&2
          docker logs --tail 5 "$id" 2>&1 | sed 's/^/  log: /' >&2
          return 1 ;;
      esac
    done
    if [ "$pending" = 0 ]; then return 0; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "not healthy within $limit s (Docker health: $st; http check: $check)" >&2
      return 1
    fi
    nap "$POLL"
  done
}

# Networks and aliases of a container, one `network alias...` a line.
networks_of() {
  docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{join $v.Aliases " "}}{{println}}{{end}}' "$1"
}

# new_beside_old STATE: SERVICE's running containers (STATE/old), and as many new ones created beside them, not
# started (`--scale 2N --no-recreate`; a service that does not run yet gets its first), in STATE/new; the old
# ones' networks and aliases kept in STATE/ID. Sets created=no (and says so) when Compose created none.
# These two say how they ended in a variable, not a status: called as a condition, a function would run without
# `set -e`, and a failing docker command inside would no longer stop the script.
new_beside_old() {
  created=no
  nbo_state=$1
  svc_ids "$SERVICE" | grep . > "$nbo_state/old" || true
  nbo_count=$(grep -c . "$nbo_state/old" || true)
  if [ "$nbo_count" -eq 0 ]; then
    dc up --no-start --no-deps "$SERVICE"
  else
    dc up --no-start --no-deps --no-recreate --scale "$SERVICE=$((nbo_count * 2))" "$SERVICE"
  fi
  svc_all "$SERVICE" | grep -v -x -F -f "$nbo_state/old" > "$nbo_state/new" || true
  if [ ! -s "$nbo_state/new" ]; then echo "no new container of $SERVICE was created" >&2; return 0; fi
  # shellcheck disable=SC2013
  for nbo_id in $(cat "$nbo_state/old"); do networks_of "$nbo_id" > "$nbo_state/$nbo_id"; done
  # shellcheck disable=SC2034 # read by the verb that called it
  created=yes
}

# boot_out_of_rotation STATE ID...: starts new containers off their service's DNS name (each one's networks and
# aliases kept in STATE/ID, for in_rotation), then waits until every one is healthy (HEALTH_SECONDS, HTTP_CHECK)
# and answers on the ports the proxies send to (UPSTREAM_PORTS): a container healthy by its own check but deaf
# where a proxy dials never joins a rotation. Sets booted=no when one does not get there (the caller removes them).
boot_out_of_rotation() {
  booted=no
  boot_state=$1
  shift
  for boot_id in "$@"; do
    networks_of "$boot_id" > "$boot_state/$boot_id"
    out_of_rotation "$boot_id" "$boot_state/$boot_id"
  done
  docker start "$@" >/dev/null
  # shellcheck disable=SC2034 # read by the verb that called it
  if wait_healthy "$HEALTH_SECONDS" "$HTTP_CHECK" "$@" && upstreams_ok "$@"; then booted=yes; fi
}

# in_rotation ID FILE: connects the container to each network of FILE (networks_of's lines) with those aliases,
# so DNS-following proxies find it under its service name. out_of_rotation ID FILE: the same networks, without
# aliases: it keeps its address (kept-alive connections still get answers) but leaves the service's DNS name.
in_rotation() {
  rotation_id=$1; rotation_file=$2
  while read -r net aliases; do
    if [ -z "$net" ]; then continue; fi
    set --
    for alias in $aliases; do set -- "$@" --alias "$alias"; done
    docker network disconnect -f "$net" "$rotation_id" >/dev/null 2>&1 || true
    docker network connect "$@" "$net" "$rotation_id"
  done < "$rotation_file"
}
out_of_rotation() {
  rotation_id=$1; rotation_file=$2
  while read -r net aliases; do
    if [ -z "$net" ]; then continue; fi
    docker network disconnect -f "$net" "$rotation_id" >/dev/null 2>&1 || true
    docker network connect "$net" "$rotation_id"
  done < "$rotation_file"
}

# reload_proxies [joined]: the proxies in PROXIES (`service kind [pooled]` lines) that keep what they found under a
# service's name re-read their configuration, gracefully, after containers joined or left a rotation. Nginx and
# HAProxy resolve upstream names once: they are reloaded after every move. Caddy resolves a name for each new
# connection; one `pooled` (its configuration names the service as `web:8080`) reuses its kept-alive connections,
# pooled by that name, so a container that left the name would get requests until it stops, and those in flight
# when it is killed fail. That Caddy is reloaded after containers left (`joined`: they only joined, and new
# connections find them): its new configuration starts with an empty pool. A Caddy with `dynamic a` upstreams pools
# by address and looks the name up again on its `refresh`: it is left alone, as a Caddy reload ends the retries it
# has in progress (lb_try_duration) with a 502. One whose reload fails (its admin endpoint off) is named on a
# `slipway-notice:` line (the step's notices) and the move goes on. Traefik follows Docker's events and Envoy its
# DNS refresh: they are left alone.
# shellcheck disable=SC2120 # the verbs pass `joined`
reload_proxies() {
  printf '%s\n' "$PROXIES" | while read -r proxy kind pooled; do
    case "$kind" in
      nginx | haproxy) ;;
      caddy) if [ "${1:-}" = joined ] || [ "$pooled" != pooled ]; then continue; fi ;;
      *) continue ;;
    esac
    for id in $(svc_ids "$proxy"); do
      if [ "$kind" != caddy ]; then reload_proxy "$id" "$kind"; continue; fi
      if ! caddy_error=$(reload_proxy "$id" caddy 2>&1); then
        echo "slipway-notice: Caddy in $proxy was not reloaded ($(printf '%s' "$caddy_error" | tail -n 1)): it sends requests on its kept-alive connections to the containers that left the rotation until they stop. Keep its admin endpoint on (the default) so Slipway can reload it."
      fi
    done
  done
}

# reload_proxy ID KIND: one proxy container re-reads its configuration in place (nginx: HUP to its master, which
# keeps the old configuration if the new one is invalid, then nginx_settled; HAProxy in master-worker mode: USR2;
# Caddy: `caddy reload --force` through its admin endpoint).
reload_proxy() {
  case "$2" in
    nginx)
      nginx_before=$(nginx_workers "$1") || nginx_before=''
      docker kill -s HUP "$1" >/dev/null
      nginx_settled "$1" ;;
    haproxy) docker kill -s USR2 "$1" >/dev/null ;;
    caddy)
      args=$(docker inspect -f '{{join .Args " "}}' "$1")
      config=$(printf '%s\n' "$args" | sed -n 's/.*--config[ =]\([^ ]*\).*/\1/p')
      adapter=$(printf '%s\n' "$args" | sed -n 's/.*--adapter[ =]\([^ ]*\).*/\1/p')
      docker exec "$1" caddy reload --force --config "${config:-/etc/caddy/Caddyfile}" --adapter "${adapter:-caddyfile}" >/dev/null ;;
    *) return 0 ;;
  esac
}

# nginx_workers ID: the PIDs of the Nginx workers in the container that still accept connections (title exactly
# `nginx: worker process`: one told to stop reads `... is shutting down` and has closed its listening sockets).
# Fails when the container has no sh; prints nothing when /proc is unreadable.
nginx_workers() {
  # shellcheck disable=SC2016
  docker exec "$1" sh -c 'cd /proc && for p in [0-9]*; do if [ "$(tr -d "\000" < "$p/cmdline" 2>/dev/null)" = "nginx: worker process" ]; then echo "$p"; fi; done' 2>/dev/null
}

# nginx_settled ID: after a HUP, waits (every POLL, up to 5 s) until none of the workers from before it
# (nginx_before) still accepts connections: until then they answer new ones with the old configuration (the old
# upstream addresses), and a check of the entry point could meet the outgoing version. The master keeps them
# when the new configuration is invalid: the wait then ends at its bound. Never fails: without a list of
# workers (no sh in the image, no /proc) it returns at once, as a bare HUP did.
nginx_settled() {
  if [ -z "$nginx_before" ]; then return 0; fi
  nginx_deadline=$(( $(date +%s) + 5 ))
  while :; do
    nginx_now=$(nginx_workers "$1") || return 0
    nginx_now=" $(printf '%s\n' "$nginx_now" | tr '\n' ' ')"
    nginx_left=''
    for pid in $nginx_before; do
      case "$nginx_now" in *" $pid "*) nginx_left="$nginx_left $pid" ;; esac
    done
    if [ -z "$nginx_left" ]; then return 0; fi
    if [ "$(date +%s)" -ge "$nginx_deadline" ]; then
      echo "nginx in $(docker inspect -f '{{.Name}}' "$1" | tr -d /) still has workers from before its reload after 5 s (PIDs$nginx_left); going on" >&2
      return 0
    fi
    nap "$POLL"
  done
}

# check_proxy_config ID KIND: the proxy's own test of its configuration (nginx -t, haproxy -c), before a reload.
check_proxy_config() {
  case "$2" in
    nginx)
      config=$(docker inspect -f '{{join .Args " "}}' "$1" | sed -n 's/.*-c \([^ ]*\).*/\1/p')
      docker exec "$1" nginx -t -c "${config:-/etc/nginx/nginx.conf}" ;;
    haproxy)
      config=$(docker inspect -f '{{join .Args " "}}' "$1" | sed -n 's/.*-f \([^ ]*\).*/\1/p')
      docker exec "$1" haproxy -c -q -f "${config:-/usr/local/etc/haproxy/haproxy.cfg}" ;;
    *) return 0 ;;
  esac
}

# entry_ok: the entry point answers: every port a proxy of the project publishes on this host gives an HTTP
# answer that is not a gateway error (502, 503, 504) or no answer at all. True when the project has no proxy.
entry_ok() {
  printf '%s\n' "$PROXIES" | while read -r proxy kind _; do
    if [ -z "$proxy" ]; then continue; fi
    for id in $(svc_ids "$proxy"); do
      for port in $(docker port "$id" | sed -n 's/^[0-9]*\/tcp -> [0-9.]*:\([0-9]*\)$/\1/p'); do
        code=$(http_status "http://127.0.0.1:$port/")
        case "$code" in
          502|503|504|000|'') echo "the entry point $proxy (port $port) answered ${code:-nothing}" >&2; return 1 ;;
        esac
      done
    done
  done
}

# http_status URL: the status code of one request (000: no answer). busybox wget is bounded by `timeout`, as
# some builds crash on its own -T.
http_status() {
  if command -v curl >/dev/null 2>&1; then status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" 2>/dev/null || true)
  else status=$(timeout 5 wget -S -q -O /dev/null "$1" 2>&1 | sed -n 's/^ *HTTP\/[0-9.]* \([0-9]*\).*/\1/p' | tail -n 1); fi
  echo "${status:-000}"
}

# upstreams_ok ID...: every container gives an HTTP answer (any status) on each port of UPSTREAM_PORTS, at its
# address on its first network, within HEALTH_SECONDS; names the first that does not.
upstreams_ok() {
  if [ -z "$UPSTREAM_PORTS" ]; then return 0; fi
  upstream_deadline=$(( $(date +%s) + HEALTH_SECONDS ))
  for id in "$@"; do
    ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$id" | cut -d' ' -f1)
    for port in $UPSTREAM_PORTS; do
      until [ "$(http_status "http://$ip:$port/")" != 000 ]; do
        if [ "$(date +%s)" -ge "$upstream_deadline" ]; then
          echo "container $(docker inspect -f '{{.Name}}' "$id" | tr -d /) does not answer on port $port, where the project's proxy sends $SERVICE its requests: it never joined the rotation (make the app listen on $port, or point the proxy's upstream at the port it listens on)" >&2
          return 1
        fi
        nap "$POLL"
      done
    done
  done
}

# wait_entry SECONDS: entry_ok, retried every POLL for up to SECONDS.
wait_entry() {
  entry_deadline=$(( $(date +%s) + $1 ))
  until entry_ok; do
    if [ "$(date +%s)" -ge "$entry_deadline" ]; then return 1; fi
    nap "$POLL"
  done
}

# roll_done: forgets the roll of SERVICE (.slipway-roll/SERVICE, and the folder when no other roll is open).
roll_done() {
  rm -rf -- ".slipway-roll/$SERVICE"
  rmdir .slipway-roll 2>/dev/null || true
}

# queue_retire ID...: the old containers of SERVICE, out of rotation, are left to the stop after the verdict
# (retire_queued): a file in .slipway-retire with their ids, written whole (temporary name, then rename). They drain
# meanwhile: .slipway-retire/.drained-at (seconds since the epoch) is when the last of them queued has drained
# (drain_seconds from now), and their stop waits until then, however the run ends.
queue_retire() {
  mkdir -p .slipway-retire
  queue_at=$(( $(date +%s) + $(drain_seconds) ))
  if [ "$queue_at" -gt "$(drained_at)" ]; then printf '%s\n' "$queue_at" > .slipway-retire/.drained-at; fi
  printf '%s\n' "$@" > ".slipway-retire/.$SERVICE.$$"
  mv -- ".slipway-retire/.$SERVICE.$$" ".slipway-retire/$SERVICE.$$"
}

# drain_seconds: DRAIN (seconds, maybe a fraction; unset: 0) in whole seconds, rounded up, and one more where it is
# not 0: the clock counts whole seconds, so a deadline of now + that is never less than DRAIN away.
drain_seconds() {
  drain_whole=${DRAIN:-0}
  drain_whole=${drain_whole%%.*}
  case "${DRAIN:-0}" in *.*[1-9]*) drain_whole=$(( ${drain_whole:-0} + 1 )) ;; esac
  if [ "${drain_whole:-0}" -gt 0 ]; then drain_whole=$((drain_whole + 1)); fi
  echo "${drain_whole:-0}"
}

# drained_at: when the queued containers have drained (queue_retire), 0 when nothing says. drain_left: the
# seconds until then, 0 once it is past.
drained_at() {
  drained=$(cat .slipway-retire/.drained-at 2>/dev/null || true)
  case "$drained" in '' | *[!0-9]*) drained=0 ;; esac
  echo "$drained"
}
drain_left() {
  left=$(( $(drained_at) - $(date +%s) ))
  if [ "$left" -lt 0 ]; then left=0; fi
  echo "$left"
}

# retire_queued: once they drained (drain_left), the containers queue_retire left stop (all at once, each within
# its own stop grace period) and are removed; the queue is emptied. Run detached once the deploy released its lock
# (retire.sh, handed the lock by lock-release.sh), or, for what a run that died left queued, at the start of the
# next deploy under its lock (bg-prepare.sh). A container already gone is fine; one Docker could not remove stays
# queued.
retire_queued() {
  retire_files=$(find .slipway-retire -type f ! -name '.*' 2>/dev/null || true)
  if [ -z "$retire_files" ]; then rm -rf .slipway-retire; return 0; fi
  sleep "$(drain_left)"
  # shellcheck disable=SC2086
  retire_ids=$(cat $retire_files | tr '\n' ' ')
  # shellcheck disable=SC2086
  docker stop $retire_ids >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  docker rm -f $retire_ids >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  rm -f $retire_files
  # any Docker could not remove stays queued, for the next deploy's first phase
  # shellcheck disable=SC2086
  retire_left=$(docker inspect -f '{{.Id}}' $retire_ids 2>/dev/null || true)
  if [ -n "$retire_left" ]; then
    # shellcheck disable=SC2086
    SERVICE=left queue_retire $retire_left
  else
    rm -rf .slipway-retire
  fi
}

# retire_bound: seconds the queued stop may take at most: what is left of their drain, the longest stop grace
# period of the queued containers (Docker's default 10 s where none is set), and 30 s more.
retire_bound() {
  bound_grace=10
  # shellcheck disable=SC2046,SC2013 # container ids: one word a line
  for id in $(cat $(find .slipway-retire -type f ! -name '.*' 2>/dev/null || true) /dev/null); do
    grace=$(docker inspect -f '{{if .Config.StopTimeout}}{{.Config.StopTimeout}}{{else}}10{{end}}' "$id" 2>/dev/null || echo 10)
    if [ "$grace" -gt "$bound_grace" ]; then bound_grace=$grace; fi
  done
  echo $(( $(drain_left) + bound_grace + 30 ))
}

# record_files: the files SERVICE now runs with (FILES_DIGEST), for the next deploy's comparison.
record_files() {
  mkdir -p .slipway-state
  printf '%s\n' "$FILES_DIGEST" > ".slipway-state/$SERVICE.files"
}

# sync_live: makes `live` (Compose's project directory for releases made since it exists) hold exactly the files
# of the release in RELEASE_DIR, so every release mounts its files from the same paths: a service whose files did
# not change keeps the same Compose configuration (and is left alone), and a proxy sees its new configuration
# where it already looks. A changed file is rewritten in place (a file bind mount keeps its inode, so running
# containers see it); an unchanged one is not touched; one the release no longer has is removed.
sync_live() (
  umask 077
  mkdir -p -- live
  (cd -- "$RELEASE_DIR" && find . -type d) | while IFS= read -r dir; do mkdir -p -- "live/$dir"; done
  (cd -- "$RELEASE_DIR" && find . -type f) | while IFS= read -r file; do
    if ! cmp -s -- "$RELEASE_DIR/$file" "live/$file"; then
      if [ -f "live/$file" ]; then cat -- "$RELEASE_DIR/$file" > "live/$file"; else cp -- "$RELEASE_DIR/$file" "live/$file"; fi
    fi
    chmod "$(stat -c %a -- "$RELEASE_DIR/$file")" -- "live/$file"
  done
  (cd live && find . -type f) | while IFS= read -r file; do
    if [ ! -e "$RELEASE_DIR/$file" ]; then rm -f -- "live/$file"; fi
  done
)

# retire ID...: takes old containers out of their service's DNS name by reconnecting them to their networks
# without aliases (Docker usually hands back the same address, so requests a proxy already sent on kept-alive
# connections are still answered), lets them drain, then stops and removes them.
retire() {
  for id in "$@"; do
    for net in $(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$id"); do
      docker network disconnect -f "$net" "$id" >/dev/null 2>&1 || true
      docker network connect "$net" "$id" >/dev/null 2>&1 || true
    done
  done
  # shellcheck disable=SC2119 # they left
  reload_proxies
  sleep "$DRAIN"
  docker stop "$@" >/dev/null
  docker rm -f "$@" >/dev/null
}
