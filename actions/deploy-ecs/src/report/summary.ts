import { details, formatStoppedTask, markdownTable, type ServiceResult, type Status } from '@slipway/shared';
import type { BackupResult } from '../backup/take-backups';
import type { PauseVerdict } from '../pauses/pause-answerer';
import { pauseSection } from '../pauses/pause-summary';
import type { PreDeployResult } from '../pre-deploy/run-pre-deploy';
import type { Change } from '../render/normalise';
import { preDeploySections } from './pre-deploy-summary';

export interface Report {
  status: Status;
  cluster: string;
  taskDefinitionArn: string;
  /** `registered` a new revision, or `reused` an equal one. */
  revision: 'registered' | 'reused';
  origin: string;
  changes: Change[];
  results: ServiceResult[];
  backups?: BackupResult[];
  preDeploy?: PreDeployResult;
  /** How each pause (PAUSE lifecycle hook) was answered. */
  pauses?: PauseVerdict[];
}

const MAX_CHANGES = 60;
const ICON: Record<Status, string> = {
  succeeded: '✅',
  unchanged: '✅',
  started: '🚀',
  failed: '❌',
  'rolled-back': '↩️',
  superseded: '⏭️',
  'timed-out': '⏱️',
  unknown: '❓',
};

/** The job summary: what changed in the task definition, each service's final state, the event timeline. */
export function renderSummary(report: Report): string {
  const lines = [
    `## ${ICON[report.status]} deploy-ecs: ${report.status}`,
    '',
    `Cluster \`${report.cluster}\`, task definition \`${report.taskDefinitionArn}\` ` +
      `(${report.revision === 'registered' ? 'new revision' : 'existing revision, nothing registered'}), ` +
      `rendered from ${report.origin}.`,
    '',
    '### What changed in the task definition',
    '',
    changesTable(report.changes),
    ...preDeploySections(report.backups, report.preDeploy),
    '',
    '### Services',
    '',
    markdownTable(
      ['service', 'status', 'deployment', 'task definition', 'previous', 'final state', 'reason'],
      report.results.map((r) => [
        r.service,
        `${ICON[r.status]} ${r.status}${r.rollback ? ` (our rollback${r.rollback.because ? ' with the others' : ''}: ${r.rollback.status})` : ''}`,
        r.deploymentId ?? '',
        short(r.taskDefinitionArn),
        short(r.previousTaskDefinitionArn),
        r.finalState ?? '',
        r.rollback
          ? `${r.reason}; rollback${r.rollback.because ? ` because ${r.rollback.because}` : ''}: ${r.rollback.reason}`
          : r.reason,
      ]),
    ),
    ...pauseSection(report.pauses ?? []),
  ];
  if (!report.results.length) lines[lines.length - 1] = 'No service was updated.';
  for (const r of report.results) {
    if (r.stoppedTasks.length) {
      lines.push(
        '',
        `### Stopped tasks of ${r.service}`,
        '',
        ...r.stoppedTasks.map((t) => `- ${formatStoppedTask(t)}`),
      );
    }
    if (r.events.length) {
      const rows = r.events.map((e) => [e.createdAt?.toISOString() ?? '', e.message ?? '']);
      lines.push(
        '',
        details(
          `Event timeline of ${r.service} (${r.events.length})`,
          markdownTable(['time', 'event'], rows),
        ),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function changesTable(changes: Change[]): string {
  if (!changes.length) return 'No change: the service already runs this definition.';
  const rows = changes
    .slice(0, MAX_CHANGES)
    .map((c) => [
      `\`${c.path}\``,
      c.before === undefined ? '' : c.before,
      c.after === undefined ? '' : c.after,
    ]);
  const more = changes.length > MAX_CHANGES ? `\n\n…and ${changes.length - MAX_CHANGES} more.` : '';
  return `${markdownTable(['field', 'before', 'after'], rows)}${more}`;
}

const short = (arn: string | undefined) => (arn ? (arn.split('/').pop() ?? arn) : '');

const SEVERITY: Status[] = [
  'unknown',
  'failed',
  'rolled-back',
  'timed-out',
  'superseded',
  'started',
  'succeeded',
  'unchanged',
];

/** The status of several services: the worst one. */
export function overallStatus(statuses: readonly Status[]): Status {
  return SEVERITY.find((s) => statuses.includes(s)) ?? 'unchanged';
}
