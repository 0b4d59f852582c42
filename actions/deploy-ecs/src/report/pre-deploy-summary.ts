import { formatDuration, markdownTable, redactText } from '@slipway/shared';
import type { BackupResult } from '../backup/take-backups';
import type { PreDeployResult } from '../pre-deploy/run-pre-deploy';

/** The summary's backup and pre-deploy sections (deploy-compose's steps, in the same order: backup first). */
export function preDeploySections(
  backups: BackupResult[] | undefined,
  pre: PreDeployResult | undefined,
): string[] {
  const lines: string[] = [];
  if (backups?.length) {
    lines.push(
      '',
      '### Backup',
      '',
      markdownTable(
        ['database', 'snapshot', 'status', 'pruned (keep-backups)'],
        backups.map((b) => [`${b.kind} ${b.source}`, `\`${b.snapshot}\``, b.status, b.pruned.join(', ')]),
      ),
    );
  }
  if (pre) {
    const icon = pre.status === 'succeeded' ? '✅' : pre.status === 'timed-out' ? '⏱️' : '❌';
    lines.push(
      '',
      `### ${icon} Pre-deploy task: ${pre.status}`,
      '',
      `\`${redactText(JSON.stringify(pre.command))}\` in container \`${pre.container}\`, task \`${pre.taskArn?.split('/').pop() ?? ''}\`, ` +
        `${formatDuration(pre.durationMs)}; exit code ${pre.exitCode ?? 'none'}` +
        `${pre.stopCode ? `, ${pre.stopCode}: ${pre.stoppedReason ?? ''}` : ''}.`,
    );
    if (pre.status !== 'succeeded') lines.push('', `No service was updated: ${pre.reason}.`);
    if (pre.lastLines === undefined) {
      lines.push(
        '',
        'Its container does not log to CloudWatch Logs (awslogs with a stream prefix): no output here.',
      );
    } else {
      const where = pre.logs ? ` (${pre.logs.group} ${pre.logs.stream})` : '';
      const body = pre.lastLines.length
        ? pre.lastLines.map((l) => l.replace(/```/g, "'''")).join('\n')
        : '(no output)';
      lines.push('', `Last ${pre.lastLines.length} log line(s)${where}:`, '', '```', body, '```');
    }
  }
  return lines;
}
