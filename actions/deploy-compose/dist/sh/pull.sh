# shellcheck shell=sh
# Starts pulling the release's images (pulled.sh, which project-script.ts puts last, waits for it). With
# REGISTRY_HOST, logs in first (REGISTRY_USER; the password on standard input) in a Docker config of this command's
# own, inside SLIPWAY_TMP: the group leader (group.sh) removes that folder however the command ends (finished,
# failed, timed out, stopped, connection lost), so the credentials never stay on the host and never land in the
# user's ~/.docker.
# The user's CLI plugins stay in reach through a link: Compose v2 installed in ~/.docker/cli-plugins is found
# only through the Docker config folder, and without it the pull would run v1 or find no Compose at all.
if [ -n "$REGISTRY_HOST" ]; then
  plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
  DOCKER_CONFIG="$SLIPWAY_TMP/docker"
  mkdir -m 700 -- "$DOCKER_CONFIG"
  if [ -d "$plugins" ]; then ln -s -- "$plugins" "$DOCKER_CONFIG/cli-plugins"; fi
  export DOCKER_CONFIG
  docker login --username "$REGISTRY_USER" --password-stdin -- "$REGISTRY_HOST" >/dev/null
fi
# In the background: what follows in the same command (the comparison, hashes.sh) needs the images' names, not the
# images, so the two overlap; pulled.sh waits for the pull and fails the command if it failed. Compose is found
# first, in this shell, so the comparison does not ask again; the pull's output goes to standard error, never into
# the comparison's lines.
compose_kind
dc pull --quiet >&2 &
# shellcheck disable=SC2034 # read by pulled.sh
pull_pid=$!
