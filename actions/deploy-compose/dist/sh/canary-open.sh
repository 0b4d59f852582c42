# shellcheck shell=sh
# Canary, before its first step (then canary-up per step, roll-switch at 100%, roll-finish; roll-undo aborts):
# records the old containers of SERVICE and their networks in .slipway-roll/SERVICE, as roll-up does, and finds
# how the project's proxies can share the traffic (weights.sh): `servers COUNT` per HAProxy backend that can take
# weights (COUNT servers of the old containers in it), else `replicas PROXY WHY` (the replica ratio: the new
# containers join the service's DNS name beside the old ones). Prints `old N` first.
state=".slipway-roll/$SERVICE"
roll_done
mkdir -p -- "$state"
svc_ids "$SERVICE" | grep . > "$state/old" || true
: > "$state/new"
set -f
# shellcheck disable=SC2013
for id in $(cat "$state/old"); do networks_of "$id" > "$state/$id"; done
set +f
echo "old $(grep -c . "$state/old" || true)"
weights_open "$state" || true
