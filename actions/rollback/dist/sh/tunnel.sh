# shellcheck shell=sh
# A TCP relay for a host whose sshd forbids forwarding (AllowTcpForwarding no): the exec channel's standard input
# and output become a connection to TUNNEL_ADDRESS:TUNNEL_PORT (a container on the host's bridge network), with
# `nc`, else busybox's. Used by src/ssh/forward.ts when SSH's own forwarding (direct-tcpip) is refused.
if command -v nc >/dev/null 2>&1; then exec nc "$TUNNEL_ADDRESS" "$TUNNEL_PORT"; fi
if command -v busybox >/dev/null 2>&1 && busybox nc --help >/dev/null 2>&1; then
  exec busybox nc "$TUNNEL_ADDRESS" "$TUNNEL_PORT"
fi
echo "this host forbids SSH TCP forwarding and has no nc to relay through: allow it (AllowTcpForwarding local) or install nc" >&2
exit 127
