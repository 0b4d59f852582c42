import { formatDuration } from './duration';
import { redactText } from './secrets';
import { markdownTable } from './summary';

/** One pre-deploy run as the job summary shows it (deploy-ecs's one-off task, deploy-compose's one-off container). */
export interface PreDeploySummary {
  /** What ran, e.g. `Pre-deploy task`, `Pre-deploy container on deploy@web-1`. */
  title: string;
  status: 'succeeded' | 'failed' | 'timed-out';
  /** The command as given (masked here). */
  command: string;
  /** Where it ran, after the command: "in container `web`, task `abc`". */
  where: string;
  durationMs: number;
  exitCode?: number;
  /** What else ended it, after the exit code: "TaskFailedToStart: …". */
  stop?: string;
  /** When it did not succeed: what was spared, and why ("No service was updated: …."). */
  failed?: string;
  /** Its last lines, or undefined when they could not be read (then `noLines` says why). */
  lastLines?: readonly string[];
  /** Where the lines come from, after "Last N log line(s)": " (group stream)". */
  linesFrom?: string;
  noLines?: string;
}

const ICONS = { succeeded: '✅', failed: '❌', 'timed-out': '⏱️' } as const;

/**
 * The summary's section for one pre-deploy run: the command, where, how long, the exit code (and stop reason),
 * and its last lines in a code block. Secrets and URL passwords are masked in the command and the lines.
 */
export function preDeploySection(run: PreDeploySummary): string[] {
  const lines = [
    '',
    `### ${ICONS[run.status]} ${run.title}: ${run.status}`,
    '',
    `\`${redactText(run.command)}\` ${run.where}, ${formatDuration(run.durationMs)}; exit code ${run.exitCode ?? 'none'}` +
      `${run.stop ? `, ${run.stop}` : ''}.`,
  ];
  if (run.status !== 'succeeded' && run.failed) lines.push('', run.failed);
  if (run.lastLines === undefined) {
    if (run.noLines) lines.push('', run.noLines);
    return lines;
  }
  const body = run.lastLines.length
    ? run.lastLines.map((l) => redactText(l).replace(/```/g, "'''")).join('\n')
    : '(no output)';
  lines.push('', `Last ${run.lastLines.length} log line(s)${run.linesFrom ?? ''}:`, '', '```', body, '```');
  return lines;
}

/** The summary's backup section: one row per backup taken before the deploy (columns as each action has them). */
export function backupSection(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return rows.length ? ['', '### Backup', '', markdownTable(headers, rows)] : [];
}
