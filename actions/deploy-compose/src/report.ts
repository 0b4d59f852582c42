import { appendSummary, formatDuration, type HostResult, markdownTable, UserError } from '@slipway/shared';
import type { RunnerIo } from './deploy';
import { preDeployOutputs, preDeploySummary } from './pre-deploy-report';

function summaryTable(results: readonly HostResult[]): string {
  const rows = results.map((r) => [
    r.host,
    r.status,
    formatDuration(r.durationMs),
    r.releaseId ?? '',
    r.previousReleaseId ?? '',
    Object.entries(r.images)
      .map(([s, i]) => `${s}: ${i}`)
      .join('\n'),
    r.error ?? (r.changed.length ? `changed: ${r.changed.join(', ')}` : ''),
  ]);
  return markdownTable(['host', 'status', 'duration', 'release', 'previous', 'images', 'details'], rows);
}

/** The outputs and the job summary of a deploy; a deploy that failed on any host fails the step, naming each. */
export async function reportDeploy(
  project: string,
  releaseId: string,
  results: readonly HostResult[],
  io: RunnerIo,
): Promise<void> {
  io.setOutput('release-id', releaseId);
  io.setOutput('previous-release-id', results.map((r) => r.previousReleaseId).find(Boolean) ?? '');
  io.setOutput(
    'hosts-result',
    JSON.stringify(
      Object.fromEntries(
        results.map((r) => [
          r.host,
          {
            status: r.status,
            duration: r.durationMs,
            images: r.images,
            release: r.releaseId,
            error: r.error,
            ...(r.colour ? { colour: r.colour } : {}),
            ...(r.colours ? { previous: r.colours } : {}),
            ...(r.backup ? { backup: r.backup } : {}),
            ...(r.preDeploy
              ? { preDeploy: { status: r.preDeploy.status, exitCode: r.preDeploy.exitCode } }
              : {}),
          },
        ]),
      ),
    ),
  );
  const pre = preDeployOutputs(results);
  io.setOutput('pre-deploy-exit-code', pre.exitCode);
  io.setOutput('backups', pre.backups);
  const sections = [summaryTable(results), ...preDeploySummary(results)].join('\n');
  await appendSummary(`### deploy-compose: ${project} ${releaseId}\n\n${sections}\n`);
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    const undone = results.filter((r) => r.status === 'rolled-back').map((r) => r.host);
    throw new UserError(
      [
        `Release ${releaseId} failed on ${failed.map((r) => r.host).join(', ')}:`,
        ...failed.map((r) => `- ${r.host}: ${r.error}`),
        ...(undone.length ? [`Returned to the previous release (atomic): ${undone.join(', ')}.`] : []),
      ].join('\n'),
    );
  }
}
