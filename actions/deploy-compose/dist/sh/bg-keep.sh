# shellcheck shell=sh
# Blue-green, phase 3, once the entry point proved the new colour: the files each service of SERVICES now runs
# with are recorded (FILES_DIGESTS, `service digest` lines; the old ones kept for a switch back), and the old
# colour is kept running out of rotation as `.slipway-bg/previous` (PREVIOUS_RELEASE) for KEEP_SECONDS: a
# detached timer (its own session, so it outlives this SSH command; `slipway-keep-previous` in its command line)
# then runs TIMER_SCRIPT (bg-timer.sh, under the deploy lock), which stops it. The timer's id is kept in
# .slipway-bg/previous/timer: a timer whose id is no longer there stops nothing. The next deploy cancels the
# timer (bg-prepare). With KEEP_SECONDS=0 the old colour drains (DRAIN) and stops now. Prints `kept SERVICE ID`
# per container kept, and `timer not-started` when the timer never ran in a session of its own.
mkdir -p .slipway-state
printf '%s\n' "$FILES_DIGESTS" | while read -r service digest; do
  if [ -z "$service" ]; then continue; fi
  if [ -f ".slipway-state/$service.files" ]; then cp ".slipway-state/$service.files" ".slipway-bg/next/$service/files"; fi
  printf '%s\n' "$digest" > ".slipway-state/$service.files"
done
for service in $SERVICES; do rm -f ".slipway-bg/next/$service/switched"; done
rm -rf .slipway-bg/previous
mv .slipway-bg/next .slipway-bg/previous
printf '%s\n' "$PREVIOUS_RELEASE" > .slipway-bg/previous/release
old=$(cat .slipway-bg/previous/*/old 2>/dev/null || true)
if [ "$KEEP_SECONDS" -eq 0 ] || [ -z "$old" ]; then
  if [ -n "$old" ]; then
    sleep "$DRAIN"
    # shellcheck disable=SC2086
    docker stop $old >/dev/null
    # shellcheck disable=SC2086
    docker rm -f $old >/dev/null
  fi
  rm -rf .slipway-bg/previous
  exit 0
fi
# a new file (not rewritten in place): a cancelled timer still reading its own script reads on what it was
printf '%s\n' "$TIMER_SCRIPT" > ".slipway-bg/timer.sh.$$"
mv -- ".slipway-bg/timer.sh.$$" .slipway-bg/timer.sh
timer_id="$$-$(date +%s)"
printf '%s\n' "$timer_id" > .slipway-bg/previous/timer
# setsid: a session (and process group) of its own, which neither the end of this command's group nor the SSH
# session reaches; every inherited descriptor closed, so the SSH channel can close. The timer writes its pid (the
# leader of its own session: its process group, the one bg-prepare cancels) once it runs there, and this command
# waits for that (detached_started); a timer that never got there is said as `timer not-started`.
rm -f .slipway-bg/timer.pid
# shellcheck disable=SC2016 # expanded by the timer's own shell
setsid sh -c 'cd "$2" && echo "$$" > .slipway-bg/timer.pid && sleep "$1" && exec sh .slipway-bg/timer.sh "$3"' \
  slipway-keep-previous "$KEEP_SECONDS" "$PWD" "$timer_id" </dev/null >/dev/null 2>&1 3>&- 4>&- &
if ! detached_started .slipway-bg/timer.pid; then echo "timer not-started"; fi
for service in $SERVICES; do sed "s/^/kept $service /" ".slipway-bg/previous/$service/old"; done
