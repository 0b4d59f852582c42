import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { imageDigest } from '@slipway/shared';
import type { BackupResult } from '../backup/take-backups';
import type { EngineDeps } from '../deploy';
import type { Inputs } from '../inputs';
import type { PreDeployResult } from './run-pre-deploy';

// What runs between "the new revision is known" and UpdateService: the backup (before anything changes) and
// the pre-deploy task (of the new revision). The RDS and CloudWatch Logs clients load only here, and only when
// the inputs ask for them (README, Decisions: lazy loading).

export async function backUpFirst(
  inputs: Inputs,
  deps: EngineDeps,
  images: Array<{ container: string; image: string }>,
): Promise<BackupResult[]> {
  if (!inputs.backup) return [];
  const { takeBackups } = await import('../backup/take-backups');
  const api = await (deps.rds ?? defaultRds)(inputs, deps.log);
  try {
    const results = await takeBackups(api, inputs.backup, {
      sha: deps.sha,
      digests: images.flatMap(({ image }) => imageDigest(image) ?? []),
      runUrl: deps.runUrl ?? runUrlOf(process.env),
      // RDS tag values take letters, digits, spaces and _ . : / = + - @ only (no comma).
      deploy: `${inputs.cluster}/${inputs.services.join(' ')}`,
      pollIntervalMs: inputs.pollIntervalMs,
      log: deps.log,
      warning: deps.warning,
      now: deps.now,
      sleep: deps.sleep,
    });
    deps.output('backups', results.map((b) => b.snapshot).join(','));
    return results;
  } finally {
    api.close();
  }
}

export async function preDeployTask(
  inputs: Inputs,
  deps: EngineDeps,
  definition: TaskDefinition,
  service: Service,
  githubDeploymentId?: number,
): Promise<PreDeployResult | undefined> {
  if (!inputs.preDeploy) return undefined;
  const { runPreDeploy } = await import('./run-pre-deploy');
  const api = await (deps.tasks ?? defaultTasks)(inputs, deps.log);
  const result = await runPreDeploy(
    api,
    deps.logs ?? (async () => (await import('./logs-reader')).createLogsReader()),
    inputs.preDeploy,
    { definition, service },
    {
      cluster: inputs.cluster,
      region: inputs.region,
      pollIntervalMs: inputs.pollIntervalMs,
      log: deps.log,
      started: (taskArn) => {
        deps.output('pre-deploy-task-arn', taskArn);
        deps.state.save('preDeployTask', { cluster: inputs.cluster, taskArn, githubDeploymentId });
      },
      now: deps.now,
      sleep: deps.sleep,
    },
  );
  deps.state.save('preDeployTask', null);
  deps.output('pre-deploy-exit-code', result.exitCode === undefined ? '' : String(result.exitCode));
  return result;
}

const defaultRds: NonNullable<EngineDeps['rds']> = async (inputs, log) =>
  (await import('../backup/rds-api')).createRdsApi({
    region: inputs.region,
    log,
    retryBaseDelayMs: Math.min(1000, inputs.pollIntervalMs),
  });

export const defaultTasks: NonNullable<EngineDeps['tasks']> = async (inputs, log) =>
  (await import('./task-api')).createOneOffTaskApi({
    region: inputs.region,
    endpoint: inputs.endpoint,
    log,
    retryBaseDelayMs: Math.min(1000, inputs.pollIntervalMs),
  });

export const runUrlOf = (env: NodeJS.ProcessEnv) =>
  `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
