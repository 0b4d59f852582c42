import { maskSecrets, redactText } from '../secrets';
import { RemoteCommandError, type RemoteResult } from '../ssh/ssh-session';

/** The line pre-deploy.sh writes before the one-off container runs (what comes before it is not its output). */
export const PRE_DEPLOY_STARTED = 'slipway-pre-deploy-started';
/** As many last lines as deploy-ecs keeps of a one-off task (the summary); the error shows the last 5. */
export const PRE_DEPLOY_LAST_LINES = 30;

/** How the pre-deploy hook's one-off container ended on one host. */
export interface HostPreDeploy {
  service: string;
  command: string;
  /** `timed-out`: command-timeout stopped it (no exit code then). */
  status: 'succeeded' | 'failed' | 'timed-out';
  exitCode?: number;
  /** Its last lines (both streams), secrets and URL passwords masked. */
  lastLines: string[];
  durationMs: number;
}

/**
 * What the pre-deploy phase returned: the container's outcome and its output (masked), or undefined when the
 * phase failed before the container ran (the lock check, the prelude), which is not the container's outcome.
 */
export function readPreDeploy(
  result: RemoteResult,
): (Pick<HostPreDeploy, 'status' | 'exitCode'> & { lines: string[] }) | undefined {
  const all = result.stdout.split(/\r?\n/);
  const at = all.indexOf(PRE_DEPLOY_STARTED);
  if (at < 0) return undefined;
  const lines = all.slice(at + 1);
  if (lines.at(-1) === '') lines.pop();
  if (result.timedOut) return { status: 'timed-out', lines: lines.map(redactText) };
  return {
    status: result.code === 0 ? 'succeeded' : 'failed',
    exitCode: result.code,
    lines: lines.map(redactText),
  };
}

/**
 * Runs the phase (`exec`, which returns a failure instead of throwing), logs the container's output, tells
 * `report` how it ended, and throws when it did not succeed, with its last lines.
 */
export async function preDeployOnHost(
  host: string,
  pre: { service: string; command: string },
  exec: () => Promise<RemoteResult>,
  ctx: { log: (line: string) => void; report?: (run: HostPreDeploy) => void; now?: () => number },
): Promise<void> {
  const now = ctx.now ?? Date.now;
  const start = now();
  const result = await exec();
  const read = readPreDeploy(result);
  const label = 'the pre-deploy hook';
  if (!read) {
    if (result.code === 0) return;
    throw new RemoteCommandError(host, label, result.code, maskSecrets(result.stderr), result.timedOut);
  }
  for (const line of read.lines) ctx.log(`${host}: [pre-deploy] ${line}`);
  // A container that said nothing and failed: Compose's own error (no such image, no such service) says why.
  const own = read.status === 'succeeded' || read.lines.length ? '' : redactText(result.stderr.trim());
  const shown = [...read.lines, ...(own ? own.split(/\r?\n/) : [])].slice(-PRE_DEPLOY_LAST_LINES);
  ctx.report?.({
    ...pre,
    status: read.status,
    exitCode: read.exitCode,
    lastLines: shown,
    durationMs: now() - start,
  });
  if (read.status === 'succeeded') return;
  throw new RemoteCommandError(host, label, result.code, shown.join('\n'), result.timedOut);
}
