# shellcheck shell=sh
# Before every deploy (any strategy): the previous colour a blue-green deploy kept running out of rotation
# (.slipway-bg/previous) is switched back to when this deploy goes back to that very release (TARGET_RELEASE: a
# rollback or an atomic revert inside keep-previous) and every kept container still runs - the kept colour
# rejoins the rotation, the current one leaves it, one reload, nothing pulled or started - else it is stopped
# now (a newer deploy supersedes it). Its timer is cancelled first either way (a timer past its sleep, waiting
# for this deploy's lock, stops nothing once the kept colour is gone: bg-timer.sh). Prints `switched-back SERVICE`
# lines (then the current colour drains and is removed), or `retired ID` lines.
# Where releases share the `live` folder (COMPOSE_DIRECTORY=live), the switch back first makes the kept release's
# files (RELEASE_DIR) live again and records them (FILES_DIGESTS: its `service digest` lines, every service), so
# the kept colour and the proxies' reloads read the files they ran with, and the next deploy compares against
# them; without its folder there is no switch back. Any other project directory (the release's own folder, or
# `.` for releases recorded before `live`) is not shared with the newer release: the kept colour still mounts its
# own files, and only the services switched back get their recorded digests back.
# Old containers a rolling deploy queued for its stop after the verdict and never stopped (its run died before
# handing over its lock, or this deploy goes back over a roll it made): out of rotation already, they stop now.
retire_queued
kept=.slipway-bg/previous
if [ -f .slipway-bg/timer.pid ]; then
  pid=$(cat .slipway-bg/timer.pid)
  case "$pid" in
    '' | *[!0-9]*) ;;
    *)
      if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -F slipway-keep-previous; then
        # shellcheck disable=SC2046
        kill -s TERM $(ps -e -o pid= -o pgid= | awk -v g="$pid" '$2 == g { print $1 }') 2>/dev/null || true
      fi ;;
  esac
  rm -f .slipway-bg/timer.pid .slipway-bg/timer.sh
fi
if [ ! -d "$kept" ]; then exit 0; fi
old=$(cat "$kept"/*/old 2>/dev/null || true)
running=no
# shellcheck disable=SC2086 # ids, one call for all (every call counts in the time a switch back takes)
# (a container that is gone fails the inspect: no switch back then either)
if [ -n "$old" ] && states=$(docker inspect -f '{{.State.Running}}' $old 2>/dev/null) &&
  ! printf '%s\n' "$states" | grep -q -v -x true; then running=yes; fi
live=no
if [ "$COMPOSE_DIRECTORY" = live ]; then live=yes; fi
if [ -n "$old" ] && [ "$running" = yes ] && [ "$(cat "$kept/release" 2>/dev/null)" = "$TARGET_RELEASE" ] &&
  { [ "$live" = no ] || [ -d "$RELEASE_DIR" ]; }; then
  current=''
  mkdir -p .slipway-state
  for dir in "$kept"/*/; do
    service=$(basename "$dir")
    if [ -f "$dir/files" ]; then cp "$dir/files" ".slipway-state/$service.files"; fi
  done
  if [ "$live" = yes ]; then
    sync_live
    printf '%s\n' "$FILES_DIGESTS" | while read -r service digest; do
      if [ -n "$service" ]; then printf '%s\n' "$digest" > ".slipway-state/$service.files"; fi
    done
  fi
  for dir in "$kept"/*/; do
    # shellcheck disable=SC2013
    for id in $(cat "$dir/old"); do in_rotation "$id" "$dir/$id"; done
  done
  # as in bg-switch: the proxies know the kept colour before the current one's aliases move
  reload_proxies joined
  # HAProxy's and Nginx's workers from before that reload finish the requests of open client connections with what
  # they knew (the outgoing colour only) and close them: a moment (POLL) for that, before its aliases move.
  if printf '%s\n' "$PROXIES" | grep -q -E ' (nginx|haproxy)$'; then sleep "$POLL"; fi
  for dir in "$kept"/*/; do
    # the current colour: the containers bg-up made, their networks as it recorded them
    # shellcheck disable=SC2013
    for id in $(cat "$dir/new"); do
      out_of_rotation "$id" "$dir/$id"
      current="$current $id"
    done
  done
  reload_proxies
  for dir in "$kept"/*/; do echo "switched-back $(basename "$dir")"; done
  rm -rf -- "$kept"
  if [ -n "$current" ]; then
    sleep "$DRAIN"
    # shellcheck disable=SC2086
    docker stop $current >/dev/null
    # shellcheck disable=SC2086
    docker rm -f $current >/dev/null
  fi
  exit 0
fi
# shellcheck disable=SC2086
if [ -n "$old" ]; then docker stop $old >/dev/null 2>&1 || true; docker rm -f $old >/dev/null 2>&1 || true; fi
printf '%s\n' "$old" | grep . | sed 's/^/retired /' || true
rm -rf -- "$kept"
