# shellcheck shell=sh
# Takes the project's deploy lock: a directory made with `mkdir` (atomic on every filesystem) holding who took
# it, from which run, and until when. Inputs: LOCK_PARENT (the project folder), LOCK_TOKEN (this run's, never
# reused), LOCK_INFO (owner=/run=/token= lines), LOCK_TTL (seconds). Prints the holder's info, then
# `acquired`, `taken-over` (a stale lock, past its time) or `held`.
#
# Every removal of a lock directory is atomic: only the run that makes the `takeover` mark inside that very
# directory may remove it, only after checking its info is still what it expects (the stale info it read; a
# renewed or fresh lock has other info), and it renames the directory away, mark and all, before deleting it.
# So of the runs that find a lock stale, exactly one takes it over. Info is written whole (temporary file, then
# rename); a lock without info yet gets a second to have it, and one that is gone by then is taken.
# With HISTORY (a path), a lock taken is followed by a `--- history` line, and the script goes on to the file
# after it (history-read.sh): the release history, read under the lock in the same command.
mkdir -p -- "$LOCK_PARENT"
L="$LOCK_PARENT/.slipway.lock"
now=$(date +%s)
write_info() {
  printf '%s\nexpires=%s\n' "$LOCK_INFO" "$((now + LOCK_TTL))" > "$L/info.$$"
  mv -- "$L/info.$$" "$L/info"
}
# lock_take: prints the holder's info where there is one; sets lock_state (acquired, taken-over or held).
lock_take() {
  lock_state=acquired
  if mkdir -- "$L" 2>/dev/null; then write_info; return 0; fi
  stale=$(cat -- "$L/info" 2>/dev/null || true)
  if [ -z "$stale" ]; then sleep 1; stale=$(cat -- "$L/info" 2>/dev/null || true); fi
  expires=$(printf '%s\n' "$stale" | sed -n 's/^expires=//p')
  if [ -z "$expires" ]; then expires=0; fi
  if [ "$expires" -lt "$now" ] && mkdir -- "$L/takeover" 2>/dev/null; then
    if [ "$(cat -- "$L/info" 2>/dev/null || true)" = "$stale" ]; then
      printf '%s\n' "$stale"
      mv -- "$L" "$L.gone.$LOCK_TOKEN"
      rm -rf -- "$L.gone.$LOCK_TOKEN"
      if mkdir -- "$L" 2>/dev/null; then write_info; lock_state=taken-over; return 0; fi
    else
      rmdir -- "$L/takeover" 2>/dev/null || true
    fi
  fi
  held=$(cat -- "$L/info" 2>/dev/null || true)
  # No lock any more: its holder released it between the mkdir above and now (the stop after a verdict ending,
  # say). Take it, rather than report a holder that is gone.
  if [ -z "$held" ] && [ ! -d "$L" ] && mkdir -- "$L" 2>/dev/null; then write_info; return 0; fi
  if [ -n "$held" ]; then printf '%s\n' "$held"; fi
  lock_state=held
}
lock_take
echo "$lock_state"
if [ "$lock_state" = held ] || [ -z "${HISTORY:-}" ]; then exit 0; fi
echo '--- history'
