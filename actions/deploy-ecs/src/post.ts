import type { Service } from '@aws-sdk/client-ecs';
import { describeEcsDeployment, type FinalState, rollBackPausesLeftBehind } from '@slipway/shared';
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
  let verdict: { state: FinalState; description: string } = {
    state: 'error',
    description: `The run stopped while ECS was deploying ${revision}; its outcome was not followed.`,
  };
  try {
    const api = deps.ecs(inputs, deps.log, deps.notice);
    const services = await api.describeServices(inputs.cluster, inputs.services);
    for (const service of services) deps.log(`${service.serviceName}: ${standing(service, arn)}`);
    verdict = judge(services, arn, revision) ?? verdict;
    const answerers = pauseAnswerers(inputs.pauses);
    const rolledBack = await rollBackPausesLeftBehind(api, services, arn, answerers, deps);
    if (rolledBack.length) {
      verdict = {
        state: 'failure',
        description: `The run stopped at or before a pause it answers (${rolledBack.join(', ')}); rolled back through ECS.`,
      };
    }
  } catch (error) {
    deps.warning(`Could not ask ECS how the deployment stands (${(error as Error).message}).`);
  }
  const id = following.githubDeploymentId;
  const records = deps.records(inputs.githubToken);
  if (id === undefined || !records) return;
  try {
    await records.finish(id, verdict.state, { description: verdict.description });
    deps.log(`GitHub Deployment ${id} set to ${verdict.state}: ${verdict.description}`);
  } catch (error) {
    deps.warning(`Could not set GitHub Deployment ${id} to ${verdict.state} (${(error as Error).message}).`);
  }
}

/** Where the service's deployment of `arn` stands, in one line. */
function standing(service: Service, arn: string): string {
  const ours = service.deployments?.find((d) => d.taskDefinition === arn);
  if (!ours) return `no deployment of ${arn} any more (the service runs ${service.taskDefinition}).`;
  return `ECS deployment ${ours.id} of ${arn} is ${ours.status} ${describeEcsDeployment(ours)}.`;
}

/** Success or failure when ECS has decided for every service; undefined while any deployment is undecided. */
function judge(services: Service[], arn: string, revision?: string) {
  const ours = services.map((s) => s.deployments?.find((d) => d.taskDefinition === arn));
  if (ours.some((d) => d?.rolloutState === 'FAILED')) {
    return { state: 'failure' as const, description: `ECS failed the deployment of ${revision}.` };
  }
  if (ours.every((d) => d?.status === 'PRIMARY' && d.rolloutState === 'COMPLETED')) {
    return { state: 'success' as const, description: `ECS completed the deployment of ${revision}.` };
  }
  return undefined;
}
