# shellcheck shell=sh
# Prints `want SERVICE HASH` for every service of the release and `have SERVICE HASH` for each running container.
dc config --hash='*' | sed 's/^/want /'
docker ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Label "com.docker.compose.service"}} {{.Label "com.docker.compose.config-hash"}}' | sed 's/^/have /'
