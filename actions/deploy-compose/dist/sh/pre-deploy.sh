# shellcheck shell=sh
# The pre-deploy hook: PRE_COMMAND in a one-off container of PRE_SERVICE (the new image), before any service changes.
dc run --rm --no-deps -T --entrypoint sh "$PRE_SERVICE" -c "$PRE_COMMAND"
