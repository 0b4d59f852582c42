import { backupSection, preDeploySection } from '@slipway/shared';
import type { BackupResult } from '../backup/take-backups';
import type { PreDeployResult } from '../pre-deploy/run-pre-deploy';

/** The summary's backup and pre-deploy sections (deploy-compose's steps, in the same order: backup first). */
export function preDeploySections(
  backups: BackupResult[] | undefined,
  pre: PreDeployResult | undefined,
): string[] {
  const lines = backupSection(
    ['database', 'snapshot', 'status', 'pruned (keep-backups)'],
    (backups ?? []).map((b) => [`${b.kind} ${b.source}`, `\`${b.snapshot}\``, b.status, b.pruned.join(', ')]),
  );
  if (!pre) return lines;
  return [
    ...lines,
    ...preDeploySection({
      title: 'Pre-deploy task',
      status: pre.status,
      command: JSON.stringify(pre.command),
      where: `in container \`${pre.container}\`, task \`${pre.taskArn?.split('/').pop() ?? ''}\``,
      durationMs: pre.durationMs,
      exitCode: pre.exitCode,
      stop: pre.stopCode ? `${pre.stopCode}: ${pre.stoppedReason ?? ''}` : undefined,
      failed: `No service was updated: ${pre.reason}.`,
      lastLines: pre.lastLines,
      linesFrom: pre.logs ? ` (${pre.logs.group} ${pre.logs.stream})` : '',
      noLines:
        'Its container does not log to CloudWatch Logs (awslogs with a stream prefix): no output here.',
    }),
  ];
}
