import * as core from '@actions/core';
import {
  closeRecordLeftBehind,
  createStateStore,
  type DeploymentRecords,
  type EcsApi,
  ecsVerdict,
  type LeftBehindVerdict,
  maskSecrets,
  pausesRolledBackVerdict,
  readInputs,
  rollBackPausesLeftBehind,
  type StateStore,
  standingOf,
} from '@slipway/shared';
import { createEcsDeps } from './ecs/ecs-target';
import { type EcsInputs, getInputs, type Inputs } from './inputs';
import { recordsFor } from './records/records-client';

/**
 * What the main step leaves the post step while it restores ECS services: the task definition each service is
 * being rolled back to, and the rollback's own GitHub Deployment (in progress). Null once its outcome is recorded.
 */
export interface PostState {
  following: { taskDefinitions: Record<string, string>; githubDeploymentId?: number } | null;
}

export interface PostDeps {
  state: StateStore<PostState>;
  ecs: (inputs: EcsInputs, log: (line: string) => void) => EcsApi;
  /** Deployment records, or undefined without a token or a repository. */
  records: (inputs: Inputs) => DeploymentRecords | undefined;
  log: (line: string) => void;
  warning: (message: string) => void;
}

export const defaultPostDeps = (): PostDeps => ({
  state: createStateStore<PostState>(),
  ecs: (inputs, log) => createEcsDeps(inputs, log).api,
  records: recordsFor,
  log: (line) => core.info(maskSecrets(line)),
  warning: (message) => core.warning(message),
});

/**
 * The post step (runs on `always()`): when the main step stopped while restoring ECS services (the run was
 * cancelled or timed out), the rollback's own deployment is never left waiting at a pause: the run answers
 * every pause of it, so one it holds now is answered ROLLBACK and one it heads for is stopped
 * (StopServiceDeployment, ROLLBACK) - ECS puts the service back on what served before the run. Then the
 * rollback's GitHub Deployment is closed with what ECS reports: success when ECS completed the restore
 * (its health checks unproven), failure when ECS failed it or the post step rolled it back, error while
 * undecided. Only warns.
 */
export async function post(
  deps: PostDeps = defaultPostDeps(),
  read: () => Inputs | Promise<Inputs> = () => readInputs(getInputs),
): Promise<void> {
  const following = deps.state.get('following');
  const all = following && (await read());
  const inputs = all?.ecs;
  if (!following || !all || !inputs) return;
  const to = following.taskDefinitions;
  const names = Object.keys(to);
  const revisions = [...new Set(Object.values(to).map((arn) => arn.split('/').pop()))].join(', ');
  deps.warning(
    `The main step stopped while rolling ${names.join(', ')} back (the run was cancelled or timed out). ` +
      'ECS carries on without this run.',
  );
  let verdict: LeftBehindVerdict = {
    state: 'error',
    description: `The run stopped while ECS was restoring ${revisions}; its outcome was not followed.`,
  };
  try {
    const api = deps.ecs(inputs, deps.log);
    const services = await api.describeServices(inputs.cluster, names);
    for (const service of services)
      deps.log(`${service.serviceName}: ${standingOf(service, to[service.serviceName!])}`);
    verdict = ecsVerdict(services, (name) => to[name], `the rollback to ${revisions}`) ?? verdict;
    const rolledBack: string[] = [];
    for (const service of services) {
      const arn = to[service.serviceName!];
      rolledBack.push(...(await rollBackPausesLeftBehind(api, [service], arn, () => 'for this run', deps)));
    }
    verdict = pausesRolledBackVerdict(rolledBack) ?? verdict;
  } catch (error) {
    deps.warning(`Could not ask ECS how the rollback stands (${(error as Error).message}).`);
  }
  await closeRecordLeftBehind(deps.records(all), following.githubDeploymentId, verdict, deps);
}
