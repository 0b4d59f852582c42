# shellcheck shell=sh
# The leader of a remote command's process group (see wrap.sh). $1: the time limit in seconds; $2: the script,
# run under `set -eu` in a subshell. The script gets SLIPWAY_TMP, a private folder for anything that must not
# outlive it (registry credentials): the leader removes it however the script ends - finished, failed, stopped
# by stop_group (TERM), or by the watchdog, which removes it itself before its final KILL. When the script ends,
# the rest of the group is stopped as well: nothing it started in the background outlives it.
exec 4>&2
SLIPWAY_TMP=$(mktemp -d "${TMPDIR:-/tmp}/slipway.XXXXXXXX") || exit 70
slipway_clean() { rm -rf -- "$SLIPWAY_TMP"; }
# The watchdog counts in one-second sleeps, so when the group is stopped at the end nothing of it lingers for
# longer than a second, whatever instant the TERM reaches it. fd 4 keeps the real stderr for its one message.
( slipway_left=$1
  while [ "$slipway_left" -gt 0 ]; do sleep 1 4>&-; slipway_left=$((slipway_left - 1)); done
  echo "slipway: the command ran longer than $1s; stopping its processes" >&4
  trap '' TERM; kill -TERM 0; sleep 2; slipway_clean; kill -KILL 0 ) </dev/null >/dev/null 2>&1 &
trap 'slipway_clean; trap "" TERM; kill -TERM 0 2>/dev/null; exit 143' TERM HUP INT
slipway_script=$2
shift 2
( set -eu
  eval "$slipway_script"
) 4>&-
slipway_rc=$?
slipway_clean
trap '' TERM
kill -TERM 0 2>/dev/null
exit "$slipway_rc"
