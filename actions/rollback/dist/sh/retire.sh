# shellcheck shell=sh
# The stop after a rolling deploy's verdict, run detached by lock-release.sh (in the project folder, in a session
# of its own: `slipway-retire` in its command line; $1: the token of the deploy lock it was handed): moves the
# lock's expiry to when the stop must be over (retire_bound), stops the queued old containers, drained already
# (retire_queued), then releases the lock (LOCK_RELEASE). The next deploy waits for the lock meanwhile. A lock
# that is no longer its own (taken over as stale) stops nothing: that deploy's first phase stops them.
token=$1
L=.slipway.lock
owned() { grep -qx -e "token=$token" -- "$L/info" 2>/dev/null; }
trap '' HUP
if ! owned; then exit 0; fi
# running, in a session of its own: lock-release.sh waits for this before its command ends
echo "$$" > "$L/stopper"
expires=$(( $(date +%s) + $(retire_bound) ))
sed "s/^expires=.*/expires=$expires/" -- "$L/info" > "$L/info.$$"
if owned; then mv -- "$L/info.$$" "$L/info"; else rm -f -- "$L/info.$$"; exit 0; fi
retire_queued
LOCK_PARENT=. LOCK_TOKEN="$token" sh -eu -c "$LOCK_RELEASE" >/dev/null 2>&1
