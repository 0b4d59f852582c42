import {
  closeRecordLeftBehind,
  ecsVerdict,
  type LeftBehindVerdict,
  pausesRolledBackVerdict,
  rollBackPausesLeftBehind,
  standingOf,
} from '@slipway/shared';
import { getInputs, type Inputs } from './inputs';
import { type Deps, defaultDeps } from './main';
import { pauseAnswerers } from './pauses/pause-inputs';
import { stopAbandonedPreDeploy } from './pre-deploy/post-stop';

/**
 * The post step (runs on `always()`): when the main step stopped while following a deployment (the run was
 * cancelled or timed out), it says what ECS is doing now and closes the GitHub Deployment the main step left
 * in progress with what ECS reports. ECS itself carries on with the deployment (its circuit breaker included),
 * except where it is at, or heading for, a pause this run was to answer: rolled back (rollBackPausesLeftBehind).
 * It only warns, so it never fails a job.
 */
export async function post(deps: Deps = defaultDeps(), read: () => Inputs = getInputs): Promise<void> {
  await stopAbandonedPreDeploy(deps, read);
  const following = deps.state.get('following');
  if (!following) return;
  const inputs = read();
  const arn = following.taskDefinitionArn;
  const revision = arn.split('/').pop();
  deps.warning(
    `The main step stopped while following the deployment of ${revision} to ${inputs.services.join(', ')} ` +
      '(the run was cancelled or timed out). ECS carries on with it without this run.',
  );
  let verdict: LeftBehindVerdict = {
    state: 'error',
    description: `The run stopped while ECS was deploying ${revision}; its outcome was not followed.`,
  };
  try {
    const api = deps.ecs(inputs, deps.log, deps.notice);
    const services = await api.describeServices(inputs.cluster, inputs.services);
    for (const service of services) deps.log(`${service.serviceName}: ${standingOf(service, arn)}`);
    verdict = ecsVerdict(services, () => arn, `the deployment of ${revision}`) ?? verdict;
    const answerers = pauseAnswerers(inputs.pauses);
    const rolledBack = await rollBackPausesLeftBehind(api, services, arn, answerers, deps);
    verdict = pausesRolledBackVerdict(rolledBack) ?? verdict;
  } catch (error) {
    deps.warning(`Could not ask ECS how the deployment stands (${(error as Error).message}).`);
  }
  await closeRecordLeftBehind(deps.records(inputs.githubToken), following.githubDeploymentId, verdict, deps);
}
