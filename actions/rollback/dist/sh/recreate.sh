# shellcheck shell=sh
# Recreates one service (SERVICE) in place: for services that cannot run twice, and the recreate strategy.
# FORCE=yes recreates it even though Compose sees no change (its mounted files changed). Proxies that resolve
# names once are reloaded afterwards; the service's files are recorded as applied.
if [ "$FORCE" = yes ]; then dc up -d --no-deps --force-recreate "$SERVICE"; else dc up -d --no-deps "$SERVICE"; fi
# shellcheck disable=SC2046
if ! wait_healthy "$HEALTH_SECONDS" "$HTTP_CHECK" $(svc_ids "$SERVICE"); then exit 1; fi
reload_proxies
if [ "$ENTRY_CHECK" = yes ] && ! wait_entry "$ENTRY_SECONDS"; then exit 3; fi
record_files
