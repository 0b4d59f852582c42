import { REMOTE_COMPOSE_FUNCTION } from '../compose';
import { shellQuote } from '../shell-quote';
import type { Release } from './release';

/** Where a project lives on a host. Both values are validated (safe characters) before they get here. */
export interface ProjectPlace {
  /** The project folder, relative to the SSH user's home or absolute. */
  dir: string;
  project: string;
}

/** Timings of the remote loops, configurable so tests can be quick. */
export interface RemoteTimings {
  healthTimeoutMs: number;
  drainMs: number;
  pollMs: number;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';

/**
 * Shell functions every deploy script starts with. `retire` takes old containers out of the service's DNS name by
 * reconnecting them to their networks without aliases: Docker usually hands back the same address, so requests
 * a proxy already sent on kept-alive connections are still answered during the drain period. All values arrive
 * as quoted assignments; functions quote every expansion. `dc` runs Compose for the release named by $RELEASE_FILES (generated, safe words only) in
 * $PROJECT_DIRECTORY, where references relative to the Compose files resolve.
 */
const LIBRARY = `
${REMOTE_COMPOSE_FUNCTION}
dc() { compose -p "$PROJECT" --project-directory "$PROJECT_DIRECTORY" $RELEASE_FILES "$@"; }
svc_ids() { docker ps -q --no-trunc --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1"; }
svc_all() { docker ps -aq --no-trunc --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1"; }
state_of() { docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1"; }
http_ok() {
  ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$1" | cut -d' ' -f1)
  if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null --max-time 5 "http://$ip$2" 2>/dev/null
  else wget -q -O /dev/null -T 5 "http://$ip$2" 2>/dev/null; fi
}
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
`;

/** The start of every project script: variables, functions, and `cd` into the project folder. */
export function scriptPrelude(
  place: ProjectPlace,
  release: Release | undefined,
  timings: RemoteTimings,
): string {
  const dir = `releases/${release?.id ?? 'none'}`;
  // Absolute paths (from $PWD, the project folder, after the `cd`): Compose v1 reads a relative --env-file from
  // the project directory, v2 from the working directory.
  const absolute = (flag: string, file: string) =>
    `${shellQuote(`${flag} `)}"$PWD"/${shellQuote(`${dir}/${file}`)}`;
  const files = release
    ? [
        ...release.composeFiles.map((f) => absolute('-f', f)),
        ...(release.envFile ? [absolute('--env-file', release.envFile)] : []),
      ].join("' '")
    : "''";
  return [
    `PROJECT=${shellQuote(place.project)}`,
    `POLL=${seconds(timings.pollMs)}`,
    `DRAIN=${seconds(timings.drainMs)}`,
    LIBRARY,
    `mkdir -p ${shellQuote(place.dir)}`,
    `cd ${shellQuote(place.dir)}`,
    `RELEASE_FILES=${files}`,
    // Compose reads `.env` from the project directory. A release's own folder has none, so the host's own
    // settings in the project folder's `.env` (per-host ports, names) still apply, as they did before releases
    // had folders of their own; an `env-file` input replaces it, as Compose's --env-file does.
    ...(release?.projectDirectory && !release.envFile
      ? ['if [ -f .env ]; then RELEASE_FILES="$RELEASE_FILES --env-file $PWD/.env"; fi']
      : []),
    `PROJECT_DIRECTORY="$PWD"/${shellQuote(release?.projectDirectory ?? '.')}`,
  ].join('\n');
}

/**
 * Rolls one service: new containers next to the old ones (`--scale 2N --no-recreate`), created first and attached
 * to their networks WITHOUT the service's aliases, so a DNS-following proxy cannot send them traffic while they
 * boot; once Docker reports them healthy (and the HTTP check passes) they get their aliases back. Then the old
 * ones leave the networks (proxies drop them), drain, and stop. New containers that never get healthy are
 * removed; the old ones never stopped serving.
 */
export function rollingScript(service: string, httpCheck: string, healthSeconds: number): string {
  return String.raw`
S=${shellQuote(service)}
old=$(svc_ids "$S")
count=$(printf '%s\n' $old | grep -c . || true)
if [ "$count" -eq 0 ]; then
  dc up --no-start --no-deps "$S"
else
  dc up --no-start --no-deps --no-recreate --scale "$S=$((count * 2))" "$S"
fi
new=$(svc_all "$S" | grep -v -x -F "$(printf '%s\n' $old)" || true)
if [ -z "$new" ]; then echo "no new container of $S was created" >&2; exit 1; fi
nets=$(mktemp -d)
trap 'rm -rf "$nets"' EXIT
set -f
for id in $new; do
  docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{join $v.Aliases " "}}{{println}}{{end}}' "$id" > "$nets/$id"
  while read -r net aliases; do
    if [ -z "$net" ]; then continue; fi
    docker network disconnect "$net" "$id"
    docker network connect "$net" "$id"
  done < "$nets/$id"
done
docker start $new >/dev/null
if ! wait_healthy ${healthSeconds} ${shellQuote(httpCheck)} $new; then
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
if [ -n "$old" ]; then retire $old; fi
stopped=$(svc_all "$S" | grep -v -x -F "$(printf '%s\n' $new)" || true)
if [ -n "$stopped" ]; then docker rm -f $stopped >/dev/null; fi
`;
}

/** Recreates one service in place (`up -d`): for services that cannot run twice, and the recreate strategy. */
export function recreateScript(service: string, httpCheck: string, healthSeconds: number): string {
  return `
S=${shellQuote(service)}
dc up -d --no-deps "$S"
if ! wait_healthy ${healthSeconds} ${shellQuote(httpCheck)} $(svc_ids "$S"); then exit 1; fi
`;
}

/**
 * Retires the project's containers that belong to no service of the release (a service the Compose files no
 * longer have, or one a newer release added that a revert goes back from), the way rolled containers leave: out
 * of DNS, drained, stopped. Compose's own `up --remove-orphans` would also recreate or rescale what stays; this
 * touches nothing else. One-off containers (`run`) are left alone. Prints each removed service once.
 */
export function orphansScript(services: readonly string[]): string {
  return String.raw`
keep=${shellQuote(` ${services.join(' ')} `)}
gone=$(docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.ID}} {{.Label "com.docker.compose.service"}} {{.Label "com.docker.compose.oneoff"}}' |
  while read -r id service oneoff; do
    case "$keep" in *" $service "*) continue ;; esac
    if [ "$oneoff" != True ]; then echo "$id $service"; fi
  done)
if [ -z "$gone" ]; then exit 0; fi
retire $(printf '%s\n' "$gone" | cut -d' ' -f1)
printf '%s\n' "$gone" | cut -d' ' -f2 | sort -u
`;
}

/** Prints `service hash` for every service of the release and `service hash` for each running container. */
export const HASHES_SCRIPT = `
dc config --hash='*' | sed 's/^/want /'
docker ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Label "com.docker.compose.service"}} {{.Label "com.docker.compose.config-hash"}}' | sed 's/^/have /'
`;

/**
 * Logs in to the registry in a throw-away Docker config (the password comes on standard input and never lands
 * in the host's ~/.docker), pulls the release's images, and removes that config again. The user's CLI plugins
 * stay in reach through a link: Compose v2 installed in ~/.docker/cli-plugins is found only through the Docker
 * config folder, and without it the pull ran v1 or found no Compose at all.
 */
export function pullScript(registry: { host: string; username: string } | undefined): string {
  if (!registry) return 'dc pull --quiet';
  return `
plugins="\${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
DOCKER_CONFIG=$(mktemp -d)
export DOCKER_CONFIG
if [ -d "$plugins" ]; then ln -s "$plugins" "$DOCKER_CONFIG/cli-plugins"; fi
trap 'rm -rf "$DOCKER_CONFIG"' EXIT
docker login ${shellQuote(registry.host)} --username ${shellQuote(registry.username)} --password-stdin >/dev/null
dc pull --quiet
`;
}
