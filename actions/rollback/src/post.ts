import * as core from '@actions/core';
import {
  createStateStore,
  type EcsApi,
  maskSecrets,
  rollBackPausesLeftBehind,
  type StateStore,
} from '@slipway/shared';
import { createEcsDeps } from './ecs/ecs-target';
import { type EcsInputs, getInputs, type Inputs } from './inputs';

/** What the main step leaves the post step: the task definition each ECS service is being rolled back to. */
export interface PostState {
  following: { taskDefinitions: Record<string, string> } | null;
}

export interface PostDeps {
  state: StateStore<PostState>;
  ecs: (inputs: EcsInputs, log: (line: string) => void) => EcsApi;
  log: (line: string) => void;
  warning: (message: string) => void;
}

export const defaultPostDeps = (): PostDeps => ({
  state: createStateStore<PostState>(),
  ecs: (inputs, log) => createEcsDeps(inputs, log).api,
  log: (line) => core.info(maskSecrets(line)),
  warning: (message) => core.warning(message),
});

/**
 * The post step (runs on `always()`): when the main step stopped while ECS deployed the restored release (the
 * run was cancelled or timed out), the rollback's own deployment is never left waiting at a pause: the run
 * answers every pause of it, so one it holds now is answered ROLLBACK and one it heads for is stopped
 * (StopServiceDeployment, ROLLBACK) - ECS puts the service back on what served before the run. Only warns.
 */
export async function post(
  deps: PostDeps = defaultPostDeps(),
  read: () => Inputs = getInputs,
): Promise<void> {
  const following = deps.state.get('following');
  const inputs = following && read().ecs;
  if (!following || !inputs) return;
  const names = Object.keys(following.taskDefinitions);
  deps.warning(
    `The main step stopped while rolling ${names.join(', ')} back (the run was cancelled or timed out). ` +
      'ECS carries on without this run.',
  );
  const api = deps.ecs(inputs, deps.log);
  for (const [name, to] of Object.entries(following.taskDefinitions)) {
    try {
      const services = await api.describeServices(inputs.cluster, [name]);
      await rollBackPausesLeftBehind(api, services, to, () => 'for this run', deps);
    } catch (error) {
      deps.warning(`${name}: could not ask ECS how the rollback stands (${(error as Error).message}).`);
    }
  }
}
