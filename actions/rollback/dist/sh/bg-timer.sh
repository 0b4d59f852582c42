# shellcheck shell=sh
# The end of keep-previous (run detached on the host, in the project folder, by the timer bg-keep.sh starts; $1:
# the timer's id, which bg-keep wrote to .slipway-bg/previous/timer): the previous colour, running out of
# rotation since the last blue-green switch, is stopped and removed, under the project's deploy lock, taken as a
# deploy takes it (LOCK_ACQUIRE: lock-acquire.sh, the same lock and the same takeover of a stale one; the holder
# is LOCK_INFO, `owner=keep-previous-timer`) and released at once (LOCK_RELEASE). A deploy that holds the lock
# (a rollback switching back to this very colour, say) owns the kept colour: its first step (bg-prepare) switches
# back to it or retires it, and cancels this timer. So after LOCK_WAIT seconds of a held lock the timer stops
# nothing, and tries again RETRY_SECONDS later (a deploy that failed before that step left the kept colour to
# it). A timer whose id is no longer the kept colour's (cancelled, or a newer blue-green kept another colour)
# does nothing.
timer_id=$1
current() { [ -n "$timer_id" ] && [ "$(cat .slipway-bg/previous/timer 2>/dev/null || true)" = "$timer_id" ]; }
token="keep-previous-$$-$(date +%s)-$(od -An -N6 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n' || true)"
take_lock() {
  taken=$(LOCK_PARENT=. LOCK_TOKEN="$token" LOCK_INFO="$LOCK_INFO
token=$token" LOCK_TTL="$LOCK_TTL" sh -eu -c "$LOCK_ACQUIRE" | tail -n 1)
  [ "$taken" = acquired ] || [ "$taken" = taken-over ]
}
deadline=$(( $(date +%s) + LOCK_WAIT ))
while :; do
  if ! current; then exit 0; fi
  if take_lock; then break; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    # shellcheck disable=SC2016 # expanded by the timer's own shell
    exec sh -c 'sleep "$1" && exec sh .slipway-bg/timer.sh "$2"' slipway-keep-previous "$RETRY_SECONDS" "$timer_id"
  fi
  sleep 1
done
# under the lock: no deploy changes the colours until it is released
if current; then
  ids=$(cat .slipway-bg/previous/*/old 2>/dev/null || true)
  # shellcheck disable=SC2086
  if [ -n "$ids" ]; then docker stop $ids >/dev/null 2>&1; docker rm -f $ids >/dev/null 2>&1; fi
  rm -rf .slipway-bg/previous .slipway-bg/timer.pid .slipway-bg/timer.sh
fi
LOCK_PARENT=. LOCK_TOKEN="$token" sh -eu -c "$LOCK_RELEASE" >/dev/null 2>&1
