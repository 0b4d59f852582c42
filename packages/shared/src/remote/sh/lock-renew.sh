# shellcheck shell=sh
# The start of every script of a deploy phase: checks that the lock is still this run's (else the phase stops with
# exit code 75 before touching anything) and moves its expiry to LOCK_SECONDS from now, so a deploy longer than
# lock-ttl keeps its lock. It records the phase's process group (`pgid`), which releasing the lock stops.
# Inputs: LOCK_PARENT, LOCK_TOKEN, LOCK_SECONDS.
slipway_lock="$LOCK_PARENT/.slipway.lock"
if ! grep -qx -e "token=$LOCK_TOKEN" -- "$slipway_lock/info" 2>/dev/null; then
  echo "the deploy lock of $LOCK_PARENT is no longer held by this run: another run took it over after its lock-ttl ran out while this run was stalled. Stopping before changing anything else; check what the other run deployed, and raise lock-ttl if steps here can stall that long" >&2
  exit 75
fi
sed "s/^expires=.*/expires=$(( $(date +%s) + LOCK_SECONDS ))/" -- "$slipway_lock/info" > "$slipway_lock/info.$$"
mv -- "$slipway_lock/info.$$" "$slipway_lock/info"
echo "$$" > "$slipway_lock/pgid"
