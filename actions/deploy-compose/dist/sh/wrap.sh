# shellcheck shell=sh
# How every remote command runs (the whole command line an SSH exec channel gets): the script (SLIPWAY_SCRIPT)
# in a process group of its own (setsid), led by group.sh (SLIPWAY_GROUP), whose watchdog stops the whole group
# after SLIPWAY_SECONDS. The host enforces the timeout, not the client, so a remote command never outlives its
# limit, even when the connection is gone. The group's $0 is `slipway-remote`, the name stop_group looks for.
# The group is started with an explicit `<&3` because a POSIX shell gives background jobs /dev/null as standard
# input; the script still reads what the client sends (passwords).
exec 3<&0
setsid sh -c "$SLIPWAY_GROUP" slipway-remote "$SLIPWAY_SECONDS" "$SLIPWAY_SCRIPT" <&3 3<&- &
slipway_pid=$!
exec 3<&-
wait "$slipway_pid"
