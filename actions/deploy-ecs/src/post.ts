import {
  closeRecordLeftBehind,
  ecsVerdict,
  type LeftBehindVerdict,
  pausesRolledBackVerdict,
  readInputs,
  rollBackPausesLeftBehind,
  seeRollbacksThroughPauses,
  standingOf,
} from '@slipway/shared';
import { getInputs, type Inputs } from './inputs';
import { type Deps, defaultDeps } from './main';
import { pauseAnswerers } from './pauses/pause-inputs';
import { stopAbandonedPreDeploy } from './pre-deploy/post-stop';

// A cancelled job's post steps have minutes (the runner's cancel timeout is 5 minutes), not wait-timeout's hours.
const SEE_THROUGH_MS = 4 * 60_000;

/**
 * The post step (runs on `always()`): when the main step stopped while following a deployment (the run was
 * cancelled or timed out), it says what ECS is doing now and closes the GitHub Deployment the main step left
 * in progress with what ECS reports. ECS itself carries on with the deployment (its circuit breaker included),
 * except where it is at, or heading for, a pause this run was to answer: rolled back (rollBackPausesLeftBehind).
 * A service this run was already rolling back itself (rollback-on-failure) is not rolled back again: that
 * deployment is the way back, so its pauses are answered CONTINUE (seeRollbacksThroughPauses). It only warns,
 * so it never fails a job.
 */
export async function post(
  deps: Deps = defaultDeps(),
  read: () => Inputs | Promise<Inputs> = () => readInputs(getInputs),
): Promise<void> {
  await stopAbandonedPreDeploy(deps, read);
  const following = deps.state.get('following');
  if (!following) return;
  const inputs = await read();
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
    // Each service's current deployment of this run: the new revision's (rolled back at a pause it answers),
    // or this run's own rollback's (rollback-on-failure: seen through its pauses, as it is the way back).
    const back = following.rollingBack ?? {};
    const deploying = services.filter((s) => !back[s.serviceName ?? '']);
    const answerers = pauseAnswerers(inputs.pauses);
    const rolledBack = await rollBackPausesLeftBehind(api, deploying, arn, answerers, deps);
    verdict = pausesRolledBackVerdict(rolledBack) ?? verdict;
    const wait = {
      timeoutMs: Math.min(inputs.waitTimeoutMs, SEE_THROUGH_MS),
      pollIntervalMs: inputs.pollIntervalMs,
      now: deps.now,
      sleep: deps.sleep,
    };
    await Promise.all(
      Object.entries(back).map(([name, to]) => {
        const service = services.filter((s) => s.serviceName === name);
        if (service[0])
          deps.log(`${name}: being rolled back (rollback-on-failure): ${standingOf(service[0], to)}`);
        return seeRollbacksThroughPauses(api, service, to, deps, wait);
      }),
    );
    if (Object.keys(back).length) {
      verdict = {
        state: 'failure',
        description: `${revision} failed; the run was rolling ${Object.keys(back).join(', ')} back (rollback-on-failure) when it stopped.`,
      };
    }
  } catch (error) {
    deps.warning(`Could not ask ECS how the deployment stands (${(error as Error).message}).`);
  }
  await closeRecordLeftBehind(deps.records(inputs.githubToken), following.githubDeploymentId, verdict, deps);
}
