import { hostScript, shellFile } from '../remote/host-script';

/**
 * Wraps a script for a remote host (wrap.sh, group.sh): it runs under `set -eu` in a process group of its own,
 * whose watchdog stops the whole group when the time is up, even when the connection is gone; the script's
 * private folder (SLIPWAY_TMP) is removed however it ends.
 */
export function wrapRemoteScript(script: string, timeoutMs: number): string {
  return hostScript(
    {
      SLIPWAY_SECONDS: Math.max(1, Math.ceil(timeoutMs / 1000)),
      SLIPWAY_SCRIPT: script,
      SLIPWAY_GROUP: shellFile('group'),
    },
    'wrap',
  );
}
