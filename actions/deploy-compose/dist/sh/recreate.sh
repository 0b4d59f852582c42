# shellcheck shell=sh
# Recreates one service (SERVICE) in place: for services that cannot run twice, and the recreate strategy.
dc up -d --no-deps "$SERVICE"
# shellcheck disable=SC2046
if ! wait_healthy "$HEALTH_SECONDS" "$HTTP_CHECK" $(svc_ids "$SERVICE"); then exit 1; fi
