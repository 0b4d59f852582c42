# shellcheck shell=sh
# detached_started FILE: waits until a process this command started detached (`setsid … &`) says, by writing
# FILE, that it runs in a session of its own. Until then it is still in this command's process group, which the
# end of the command stops (group.sh): on a busy host it could die there. Looks every 20 ms for up to ~5 s (every
# second where sleep takes whole seconds only); returns 1 when FILE never came.
detached_started() {
  detach_i=0
  until [ -s "$1" ]; do
    if [ "$detach_i" -ge 250 ]; then return 1; fi
    if sleep 0.02 2>/dev/null; then detach_i=$((detach_i + 1)); else sleep 1; detach_i=$((detach_i + 50)); fi
  done
}
