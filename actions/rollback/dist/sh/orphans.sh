# shellcheck shell=sh
# Retires the project's containers that belong to no service of the release (KEEP_SERVICES, space-separated):
# a service the Compose files no longer have, or one a newer release added that a revert goes back from. They
# leave as rolled containers do (out of DNS, drained, stopped); nothing else is touched (Compose's own
# `up --remove-orphans` would also recreate what stays). One-off containers (`run`) are left alone. Prints each
# removed service once.
keep=" $KEEP_SERVICES "
gone=$(docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.ID}} {{.Label "com.docker.compose.service"}} {{.Label "com.docker.compose.oneoff"}}' |
  while read -r id service oneoff; do
    case "$keep" in *" $service "*) continue ;; esac
    if [ "$oneoff" != True ]; then echo "$id $service"; fi
  done)
if [ -z "$gone" ]; then exit 0; fi
# shellcheck disable=SC2046
retire $(printf '%s\n' "$gone" | cut -d' ' -f1)
printf '%s\n' "$gone" | cut -d' ' -f2 | sort -u
