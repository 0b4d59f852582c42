# shellcheck shell=sh
# The pre-deploy hook: PRE_COMMAND in a one-off container of PRE_SERVICE (the new image), before any service changes.
# A first line says it started (anything before it is the phase's own: the lock check, the prelude); then the
# container's output on standard output, both of its streams in their order (joined inside the container, so
# Compose's own progress lines stay on standard error): the step's log and the summary's last lines, as deploy-ecs
# shows a one-off task's. Its exit code is the script's.
echo slipway-pre-deploy-started
dc run --rm --no-deps -T --entrypoint sh "$PRE_SERVICE" -c "exec 2>&1
$PRE_COMMAND"
