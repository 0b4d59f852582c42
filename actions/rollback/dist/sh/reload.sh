# shellcheck shell=sh
# A proxy (SERVICE, of KIND) whose own files changed and nothing else: its configuration is checked by the
# proxy itself, then reloaded in place (no new container, no dropped connection). A configuration the proxy
# refuses stops here, before any reload. With ENTRY_CHECK=yes the entry point must answer afterwards (exit 3).
ids=$(svc_ids "$SERVICE")
for id in $ids; do
  if ! check_proxy_config "$id" "$KIND" >&2; then
    echo "the new configuration of $SERVICE does not pass $KIND's own check (above); nothing was reloaded" >&2
    exit 1
  fi
done
for id in $ids; do reload_proxy "$id" "$KIND"; done
nap "$POLL"
if [ "$ENTRY_CHECK" = yes ] && ! wait_entry "$ENTRY_SECONDS"; then exit 3; fi
record_files
