# shellcheck shell=sh
# stop_group ID: stops a remote command's process group from another command (a post step after the connection
# was lost): TERM to every member, up to 10 s to end, then KILL; it says so when it stops any. Nothing happens
# unless the group's leader is still a command of ours (its $0 is slipway-remote, see wrap.sh): ids are reused.
# Members are found with `ps -e -o pid= -o pgid=` (POSIX), as some shells' `kill` cannot take a negative id.
group_members() { ps -e -o pid= -o pgid= | awk -v g="$1" '$2 == g { print $1 }'; }
stop_group() {
  case "$1" in ''|*[!0-9]*) return 0 ;; esac
  tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -q -F ' slipway-remote' || return 0
  members=$(group_members "$1")
  if [ -z "$members" ]; then return 0; fi
  echo "stopping process group $1"
  # shellcheck disable=SC2086
  kill -s TERM $members 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    members=$(group_members "$1")
    if [ -z "$members" ]; then return 0; fi
    sleep 1
  done
  # shellcheck disable=SC2086
  kill -s KILL $members 2>/dev/null || true
}
