# shellcheck shell=sh
# Releases the lock if this run still holds it (a taken-over lock belongs to someone else now). A deploy phase
# still running under it (the run was cancelled, or its connection lost) is stopped first (stop-group.sh), so
# nothing changes the project once the lock is free. Old containers a roll queued for the stop after the verdict
# (.slipway-retire, see queue_retire in lib.sh) keep the lock held: it is handed, not freed, to RETIRE_SCRIPT
# (retire.sh), started detached (a session of its own, every inherited descriptor closed, so this SSH command
# ends now), which releases it once they stopped. The holder it writes is `owner=old-containers-stop`, with the
# run that queued them. Inputs: LOCK_PARENT, LOCK_TOKEN, RETIRE_SCRIPT (empty or unset: no hand-over). Needs
# stop-group.sh and detach.sh before it (host-lock.ts, lockReleaseScript).
L="$LOCK_PARENT/.slipway.lock"
if mkdir -- "$L/takeover" 2>/dev/null; then
  if grep -qx -e "token=$LOCK_TOKEN" -- "$L/info" 2>/dev/null; then
    stop_group "$(cat -- "$L/pgid" 2>/dev/null || true)"
    queued=$(find "$LOCK_PARENT/.slipway-retire" -type f ! -name '.*' 2>/dev/null || true)
    if [ -n "${RETIRE_SCRIPT:-}" ] && [ -n "$queued" ]; then
      retire_token="retire-$$-$(date +%s)-$(od -An -N6 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n' || true)"
      run=$(sed -n 's/^run=//p' -- "$L/info")
      printf 'owner=old-containers-stop\nrun=%s\ntoken=%s\nexpires=%s\n' "$run" "$retire_token" "$(( $(date +%s) + 60 ))" > "$L/info.$$"
      mv -- "$L/info.$$" "$L/info"
      rm -f -- "$L/pgid"
      rmdir -- "$L/takeover"
      (cd -- "$LOCK_PARENT" && setsid sh -c "$RETIRE_SCRIPT" slipway-retire "$retire_token" </dev/null >/dev/null 2>&1 3>&- 4>&- &)
      # until it runs in its own session (it says so in `stopper`): the end of this command stops its whole group
      detached_started "$L/stopper" || true
      echo "handed the lock to the stop of the old containers"
    else
      mv -- "$L" "$L.gone.$LOCK_TOKEN"
      rm -rf -- "$L.gone.$LOCK_TOKEN"
    fi
  else
    rmdir -- "$L/takeover"
  fi
fi
