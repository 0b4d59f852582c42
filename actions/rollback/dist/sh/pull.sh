# shellcheck shell=sh
# Pulls the release's images. With REGISTRY_HOST, logs in first (REGISTRY_USER; the password on standard input)
# in a Docker config of this command's own, inside SLIPWAY_TMP: the group leader (group.sh) removes that folder
# however the command ends (finished, failed, timed out, stopped, connection lost), so the credentials never
# stay on the host and never land in the user's ~/.docker.
if [ -n "$REGISTRY_HOST" ]; then
  DOCKER_CONFIG="$SLIPWAY_TMP/docker"
  mkdir -m 700 "$DOCKER_CONFIG"
  export DOCKER_CONFIG
  docker login --username "$REGISTRY_USER" --password-stdin -- "$REGISTRY_HOST" >/dev/null
fi
dc pull --quiet
