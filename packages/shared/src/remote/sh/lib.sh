# shellcheck shell=sh
# Functions every project script starts with. Inputs (quoted assignments before this file):
#   PROJECT            the Compose project name
#   POLL, DRAIN        seconds between health polls; seconds an old container drains before it stops
#   READY_STATUS       statuses that mean "not up yet" (the health gate's list, src/ready-status.ts)
# and, from prelude.sh, PROJECT_DIRECTORY and RELEASE_FILES.

# Compose v2 (the `docker compose` plugin) when the host has it, else v1 (`docker-compose`).
compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"
  elif command -v docker-compose >/dev/null 2>&1; then docker-compose "$@"
  else echo "neither docker compose nor docker-compose is installed on this host" >&2; return 127; fi
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
    sleep "$POLL"
  done
}

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
  sleep "$DRAIN"
  docker stop "$@" >/dev/null
  docker rm -f "$@" >/dev/null
}
