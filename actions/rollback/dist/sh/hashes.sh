# shellcheck shell=sh
# Prints `want SERVICE HASH` for every service of the release (Compose's own config hash), `have SERVICE HASH`
# for each running container, and `files SERVICE DIGEST` for the files each service last had applied.
# Every container Slipway creates is created with --no-deps, and Compose v2 then hashes the service without its
# depends_on, while `config --hash` keeps it: on v2 the wanted hashes are taken with depends_on reset (`!reset`,
# Compose 2.24+), else every service with depends_on would look changed at every deploy. v1 hashes alike.
compose_kind
if [ "$COMPOSE_KIND" = v2 ]; then
  nodeps="$SLIPWAY_TMP/no-deps.yml"
  echo 'services:' > "$nodeps"
  dc config --services | while read -r service; do
    printf '  %s:\n    depends_on: !reset []\n' "$service" >> "$nodeps"
  done
  # Compose v2 before 2.24 has no `!reset`: it gets the plain hashes (a service with depends_on then looks changed).
  if hashes=$(dc -f "$nodeps" config --hash='*' 2>/dev/null); then printf '%s\n' "$hashes" | sed 's/^/want /'
  else dc config --hash='*' | sed 's/^/want /'; fi
else
  dc config --hash='*' | sed 's/^/want /'
fi
docker ps --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Label "com.docker.compose.service"}} {{.Label "com.docker.compose.config-hash"}}' | sed 's/^/have /'
for file in .slipway-state/*.files; do
  if [ -f "$file" ]; then printf 'files %s %s\n' "$(basename "$file" .files)" "$(cat "$file")"; fi
done
