import { backupSection, type HostResult, preDeploySection } from '@slipway/shared';

// The backup and pre-deploy steps in the outputs and the summary, as deploy-ecs has them (README: "Alike with
// deploy-ecs"). deploy-ecs runs one task; here each host runs its own one-off container (and backup command).

/** `pre-deploy-exit-code` and `backups`. */
export function preDeployOutputs(results: readonly HostResult[]): { exitCode: string; backups: string } {
  const runs = results.flatMap((r) => r.preDeploy ?? []);
  // The first that did not succeed says it (a timed-out container has no exit code: empty, as deploy-ecs's).
  const shown = runs.find((p) => p.status !== 'succeeded') ?? runs[0];
  return {
    exitCode: shown?.exitCode === undefined ? '' : String(shown.exitCode),
    backups: results.flatMap((r) => (r.backup ? [`${r.host}:${r.backup}`] : [])).join(','),
  };
}

/** The summary's backup section, then one pre-deploy section per host where the container ran. */
export function preDeploySummary(results: readonly HostResult[]): string[] {
  const backups = backupSection(
    ['host', 'backup (last line of the backup command)'],
    results.flatMap((r) => (r.backup ? [[r.host, `\`${r.backup}\``]] : [])),
  );
  return [
    ...backups,
    ...results.flatMap((r) =>
      r.preDeploy
        ? preDeploySection({
            title: `Pre-deploy container on ${r.host}`,
            status: r.preDeploy.status,
            command: r.preDeploy.command,
            where: `in a one-off \`${r.preDeploy.service}\` container of the new image`,
            durationMs: r.preDeploy.durationMs,
            exitCode: r.preDeploy.exitCode,
            stop: r.preDeploy.status === 'timed-out' ? 'stopped at command-timeout' : undefined,
            failed: `No service was changed on ${r.host}: ${
              r.preDeploy.status === 'timed-out'
                ? 'the pre-deploy command did not finish within command-timeout; it was stopped'
                : `the pre-deploy command exited with code ${r.preDeploy.exitCode}`
            }.`,
            lastLines: r.preDeploy.lastLines,
          })
        : [],
    ),
  ];
}
