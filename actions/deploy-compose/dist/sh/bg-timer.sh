# shellcheck shell=sh
# The end of keep-previous (run detached on the host, in the project folder, by the timer bg-keep.sh starts):
# the previous colour, running out of rotation since the last blue-green switch, is stopped and removed.
ids=$(cat .slipway-bg/previous/*/old 2>/dev/null || true)
# shellcheck disable=SC2086
if [ -n "$ids" ]; then docker stop $ids >/dev/null 2>&1; docker rm -f $ids >/dev/null 2>&1; fi
rm -rf .slipway-bg/previous .slipway-bg/timer.pid .slipway-bg/timer.sh
