# shellcheck shell=sh
# Prints `want SERVICE HASH` for every service of the release (Compose's own config hash), `have SERVICE HASH`
# for each running container, and `files SERVICE DIGEST` for the files each service last had applied.
dc config --hash='*' | sed 's/^/want /'
docker ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Label "com.docker.compose.service"}} {{.Label "com.docker.compose.config-hash"}}' | sed 's/^/have /'
for file in .slipway-state/*.files; do
  if [ -f "$file" ]; then printf 'files %s %s\n' "$(basename "$file" .files)" "$(cat "$file")"; fi
done
