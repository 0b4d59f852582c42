# shellcheck shell=sh
# Functions every project script starts with. Inputs (quoted assignments before this file):
#   PROJECT            the Compose project name
#   POLL, DRAIN        seconds between health polls; seconds an old container drains before it stops
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

# The HTTP check against one container, by its address on its first network.
http_ok() {
  ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$1" | cut -d' ' -f1)
  if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null --max-time 5 "http://$ip$2" 2>/dev/null
  else wget -q -O /dev/null -T 5 "http://$ip$2" 2>/dev/null; fi
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
          if [ -n "$check" ] && ! http_ok "$id" "$check"; then pending=1; fi ;;
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
