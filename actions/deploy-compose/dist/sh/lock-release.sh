# shellcheck shell=sh
# Releases the lock if this run still holds it (a taken-over lock belongs to someone else now). A deploy phase
# still running under it (the run was cancelled, or its connection lost) is stopped first (stop-group.sh), so
# nothing changes the project once the lock is free. Inputs: LOCK_PARENT, LOCK_TOKEN.
L="$LOCK_PARENT/.slipway.lock"
if mkdir -- "$L/takeover" 2>/dev/null; then
  if grep -qx -e "token=$LOCK_TOKEN" -- "$L/info" 2>/dev/null; then
    stop_group "$(cat -- "$L/pgid" 2>/dev/null || true)"
    mv -- "$L" "$L.gone.$LOCK_TOKEN"
    rm -rf -- "$L.gone.$LOCK_TOKEN"
  else
    rmdir -- "$L/takeover"
  fi
fi
