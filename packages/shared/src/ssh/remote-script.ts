import { shellQuote } from '../shell-quote';

/** The name (`$0`) of every remote script's group leader, so its group can be told from one that reused the id. */
const GROUP_NAME = 'slipway-remote';

/**
 * Shell function `stop_group ID`: stops a remote script's process group from another command (a post step after
 * the connection was lost): TERM to every member, up to 10 s to end, then KILL; it says so when it stops any. Inside a remote script, `$$` is
 * its group's id (setsid makes the script's shell the group leader). Nothing happens unless the leader is still
 * a remote script of ours: ids are reused. Members are found with `ps -e -o pid= -o pgid=` (POSIX), as some
 * shells' `kill` cannot take a negative id.
 */
export const STOP_GROUP_FUNCTION = String.raw`
group_members() { ps -e -o pid= -o pgid= | awk -v g="$1" '$2 == g { print $1 }'; }
stop_group() {
  case "$1" in ''|*[!0-9]*) return 0 ;; esac
  tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -q -F ' ${GROUP_NAME}' || return 0
  members=$(group_members "$1")
  if [ -z "$members" ]; then return 0; fi
  echo "stopping process group $1"
  kill -s TERM $members 2>/dev/null || true
  for second in 1 2 3 4 5 6 7 8 9 10; do
    members=$(group_members "$1")
    if [ -z "$members" ]; then return 0; fi
    sleep 1
  done
  kill -s KILL $members 2>/dev/null || true
}
`;

/**
 * Wraps a script for a remote host so that it runs under `set -eu` in a process group of its own (`setsid`),
 * with a watchdog INSIDE that group which, when the time is up, signals the whole group (`kill 0`: TERM, then
 * KILL). The host enforces the timeout, not the client, so a remote command never outlives its limit, even when
 * the connection is gone. `kill 0` needs no negative process ids, which some shells' `kill` cannot parse. When
 * the script ends, the rest of its group is stopped as well: nothing it started in the background outlives it.
 *
 * The group is started with an explicit `<&3` because a POSIX shell gives background jobs /dev/null as
 * standard input; the script still reads what the client sends.
 */
export function wrapRemoteScript(script: string, timeoutMs: number): string {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const group = [
    // fd 4 keeps the real stderr for the watchdog's one message; the shells' own job reports go nowhere.
    'exec 4>&2',
    // The watchdog counts in one-second sleeps, so when the group is stopped at the end nothing of it can
    // linger for longer than a second, whatever instant the TERM reaches it.
    `( slipway_left=${seconds}`,
    '  while [ "$slipway_left" -gt 0 ]; do sleep 1 </dev/null >/dev/null 2>&1 4>&-; slipway_left=$((slipway_left - 1)); done',
    `  echo "slipway: the command ran longer than ${seconds}s; stopping its processes" >&4`,
    "  trap '' TERM; kill -TERM 0; sleep 2; kill -KILL 0 ) </dev/null >/dev/null 2>&1 &",
    `( set -eu\n${script}\n) 4>&-`,
    'slipway_rc=$?',
    // Done: stop what is left in the group (the watchdog, anything the script left running in the background).
    "trap '' TERM",
    'kill -TERM 0 2>/dev/null',
    'exit "$slipway_rc"',
  ].join('\n');
  return [
    'exec 3<&0',
    `setsid sh -c ${shellQuote(group)} ${GROUP_NAME} <&3 3<&- &`,
    'slipway_pid=$!',
    'exec 3<&-',
    'wait "$slipway_pid"',
  ].join('\n');
}
