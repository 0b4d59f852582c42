# shellcheck shell=sh
# Pulls the release's images. With REGISTRY_HOST, logs in first (REGISTRY_USER; the password on standard input)
# in a Docker config of this command's own, inside SLIPWAY_TMP: the group leader (group.sh) removes that folder
# however the command ends (finished, failed, timed out, stopped, connection lost), so the credentials never
# stay on the host and never land in the user's ~/.docker.
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
dc pull --quiet
