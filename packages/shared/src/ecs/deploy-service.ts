import type { Service, ServiceEvent } from '@aws-sdk/client-ecs';
import { formatDuration } from '../duration';
import { isBug, toError, UserError } from '../errors';
import { type EcsApi, retryLabel } from './ecs-api';
import { describeEcsDeployment, type EcsOutcome, type EcsPause, ecsEventKey } from './ecs-deployment-state';
import { watchEcsDeployment } from './ecs-deployment-watch';
import { pollSchedule } from './poll-schedule';
import { type StoppedTask, summariseStoppedTasks } from './stopped-tasks';

/**
 * How one service ended up. `started`: not waited for; `unchanged`: already on the definition; `unknown`: started,
 * but an AWS error cut the wait short (ECS carries on with it).
 */
export type Status = EcsOutcome | 'started' | 'unchanged' | 'unknown';

export interface ServiceResult {
  service: string;
  status: Status;
  reason: string;
  deploymentId?: string;
  /** UpdateService was refused (or failed): no deployment started, the service never left its definition. */
  notStarted?: boolean;
  taskDefinitionArn: string;
  previousTaskDefinitionArn?: string;
  rolledBack: boolean;
  /**
   * Our own rollback (rollback-on-failure), when one was made. `because`: another service's failure, when this
   * one was rolled back with the rest of the run (`rollBackFleet`).
   */
  rollback?: { status: Status; reason: string; deploymentId?: string; because?: string };
  events: ServiceEvent[];
  /**
   * Keys (`ecsEventKey`) of the events the waits treated as seen: UpdateService's history and those shown. A
   * later rollback's wait starts from exactly these.
   */
  seenEvents: readonly string[];
  stoppedTasks: StoppedTask[];
  finalState?: string;
}

/** How to deploy a service: deploy-ecs's inputs of these names, or rollback's own settings. */
export interface DeploySettings {
  cluster: string;
  /** Undefined: keep the service's desired count. */
  desiredCount?: number;
  forceNewDeployment: boolean;
  /** Follow the deployment to its outcome; false: return once it has started. */
  wait: boolean;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  /** Put the service back on its previous definition when the deployment fails and ECS did not. */
  rollbackOnFailure: boolean;
}

export interface DeployOptions extends DeploySettings {
  taskDefinitionArn: string;
  /**
   * Answers a pause of the service's deployment (a PAUSE lifecycle hook). `ours`: the deployment this run
   * started to deploy taskDefinitionArn; false for the run's own rollback deployment (rollback-on-failure).
   */
  onPause?: (service: string, pause: EcsPause, ours: boolean) => Promise<void>;
  /**
   * Told as soon as UpdateService has started a deployment, before it is followed (`ours` as for onPause): what a
   * post step needs to know which deployment a stopped run was following.
   */
  onDeploymentStarted?: (service: string, taskDefinitionArn: string, ours: boolean) => void;
  log: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Refuses services whose deployments are not ECS's own before anything is changed. */
export function checkController(service: Service): void {
  const type = service.deploymentController?.type ?? 'ECS';
  if (type !== 'ECS') {
    throw new UserError(
      `ECS service ${service.serviceName} uses the ${type} deployment controller; deploy-ecs deploys services with ` +
        'the ECS controller (rolling, blue/green, linear and canary strategies). Use CodeDeploy for this one.',
    );
  }
}

/**
 * Whether a deploy leaves the service as it is: it already runs the definition, no new deployment is forced,
 * and its desired count stays (deployService, and deploy-ecs's dry run, decide by this one rule).
 */
export function serviceUnchanged(
  current: Service,
  taskDefinitionArn: string,
  options: Pick<DeployOptions, 'forceNewDeployment' | 'desiredCount'>,
): boolean {
  return (
    current.taskDefinition === taskDefinitionArn &&
    !options.forceNewDeployment &&
    (options.desiredCount === undefined || options.desiredCount === current.desiredCount)
  );
}

/**
 * Puts one service on the task definition, follows the deployment UpdateService started to its outcome and,
 * when it failed or timed out and ECS did not roll back itself, puts the service back on its previous
 * definition and follows that too.
 */
export async function deployService(
  api: EcsApi,
  current: Service,
  options: DeployOptions,
): Promise<ServiceResult> {
  const name = current.serviceName!;
  const previous = current.taskDefinition;
  const base = {
    service: name,
    taskDefinitionArn: options.taskDefinitionArn,
    previousTaskDefinitionArn: previous,
  };
  if (serviceUnchanged(current, options.taskDefinitionArn, options)) {
    options.log(`${name}: already runs ${previous}; nothing to deploy.`);
    const result = { ...base, status: 'unchanged' as const, reason: 'already on this task definition' };
    return { ...result, rolledBack: false, events: [], seenEvents: [], stoppedTasks: [] };
  }
  if ((options.desiredCount ?? current.desiredCount) === 0) {
    options.log(
      `${name}: desired count is 0, so no task will run the new definition and nothing proves it healthy.`,
    );
  }
  const { ecsTriedRollback, ...first } = await follow(api, name, options.taskDefinitionArn, options, {
    first: true,
  });
  const result: ServiceResult = {
    ...base,
    ...first,
    rolledBack: first.status === 'rolled-back',
    stoppedTasks: [],
  };
  if (!isFailure(first.status) || first.notStarted || first.status === 'unknown') return result;

  result.stoppedTasks = await summariseStoppedTasks(api, options.cluster, name, first.deploymentId);
  if ((first.status !== 'failed' && first.status !== 'timed-out') || !options.rollbackOnFailure)
    return result;
  if (ecsTriedRollback) {
    options.log(`${name}: ECS already tried to roll back; not rolling back again.`);
  } else if (!previous || previous === options.taskDefinitionArn) {
    options.log(`${name}: ${first.status} - no previous task definition to roll back to.`);
  } else {
    options.log(`${name}: ${first.status} - rolling back to ${previous} (rollback-on-failure).`);
    await rollBackService(api, result, options);
  }
  return result;
}

/**
 * Puts the service of `result` back on its previous task definition, follows that deployment and records it
 * on `result`. Its wait shows every event not in `result.seenEvents`, even one ECS recorded before the rollback's
 * UpdateService; `because`: why, when it is not this service's own failure.
 */
export async function rollBackService(
  api: EcsApi,
  result: ServiceResult,
  options: DeployOptions,
  because?: string,
): Promise<void> {
  const previous = result.previousTaskDefinitionArn!;
  const back = await follow(
    api,
    result.service,
    previous,
    { ...options, forceNewDeployment: false },
    { seen: result.seenEvents },
  );
  result.rollback = {
    status: back.status,
    reason: back.reason,
    deploymentId: back.deploymentId,
    ...(because ? { because } : {}),
  };
  // Not waited for (wait: false): started is as far as any deployment of this run goes.
  result.rolledBack = back.status === 'succeeded' || back.status === 'started';
  result.events.push(...back.events);
  result.seenEvents = back.seenEvents;
  result.finalState = back.finalState;
}

export const isFailure = (status: Status) => !['succeeded', 'started', 'unchanged'].includes(status);

type Followed = Pick<
  ServiceResult,
  'status' | 'reason' | 'deploymentId' | 'notStarted' | 'events' | 'seenEvents' | 'finalState'
> & { ecsTriedRollback?: boolean };

/**
 * UpdateService, then the wait. Whatever AWS error either step meets ends as a status, never thrown, so that
 * a run over several services still knows what it moved: refused before a deployment started (failed, not
 * started), or started but no longer followed (unknown). Bugs are thrown.
 */
async function follow(
  api: EcsApi,
  name: string,
  taskDefinition: string,
  options: DeployOptions,
  how: { first?: boolean; seen?: readonly string[] },
): Promise<Followed> {
  let started: string | undefined;
  try {
    return await updateAndWatch(api, name, taskDefinition, options, how, (id) => {
      started = id;
    });
  } catch (thrown) {
    const error = toError(thrown);
    if (isBug(error)) throw error;
    const seenEvents = how.seen ?? [];
    if (!started) {
      options.log(`${name}: no deployment started: ${error.message}`);
      const reason = `not started: ${error.message}`;
      return { status: 'failed', reason, notStarted: true, events: [], seenEvents };
    }
    options.log(`${name}: ${started} could not be followed to its end: ${error.message}`);
    return {
      status: 'unknown',
      reason: `the deployment could not be followed to its end: ${error.message}`,
      deploymentId: started,
      events: [],
      seenEvents,
    };
  }
}

async function updateAndWatch(
  api: EcsApi,
  name: string,
  taskDefinition: string,
  options: DeployOptions,
  how: { first?: boolean; seen?: readonly string[] },
  onStarted: (deploymentId: string) => void,
): Promise<Followed> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const updated = await api.updateService({
    cluster: options.cluster,
    service: name,
    taskDefinition,
    forceNewDeployment: options.forceNewDeployment,
    ...(how.first && options.desiredCount !== undefined ? { desiredCount: options.desiredCount } : {}),
  });
  const ours = updated.deployments?.find((d) => d.status === 'PRIMARY');
  if (!ours?.id) throw new Error(`UpdateService on ${name} returned no PRIMARY deployment.`);
  onStarted(ours.id);
  options.onDeploymentStarted?.(name, taskDefinition, how.first === true);
  options.log(`${name}: deployment ${ours.id} started (${taskDefinition}).`);
  if (!options.wait) {
    return {
      status: 'started',
      reason: 'not waited for (wait: false)',
      deploymentId: ours.id,
      events: [],
      seenEvents: [],
    };
  }
  const { baseMs, capMs } = pollSchedule(options.pollIntervalMs);
  options.log(
    `${name}: waiting up to ${formatDuration(options.waitTimeoutMs)} for ECS, asking every ${formatDuration(baseMs)}` +
      (capMs > baseMs ? ` (less often, up to every ${formatDuration(capMs)}, while nothing moves).` : '.'),
  );
  const watched = await watchEcsDeployment(
    api,
    {
      deploymentId: ours.id,
      serviceDeploymentArn: updated.currentServiceDeployment,
      taskDefinitionArn: taskDefinition,
      startedAt,
      deadline: startedAt + options.waitTimeoutMs,
    },
    {
      cluster: options.cluster,
      service: name,
      pollIntervalMs: options.pollIntervalMs,
      onEvent: (e) => options.log(`${name}: ${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`),
      onNote: (note) => options.log(`${name}: ${ours.id} ${note}`),
      onRetry: (error, delay) =>
        options.log(`${name}: polling ECS failed (${retryLabel(error)}); next try in ${delay}ms`),
      onPause: options.onPause && ((pause) => options.onPause!(name, pause, how.first === true)),
      now,
      sleep: options.sleep,
      // The first wait: what UpdateService answered with is history; only what comes after is news. A later
      // wait (a rollback): exactly what the earlier wait saw. Its UpdateService answer may hold events ECS
      // recorded after that wait's last poll, which nobody has shown yet.
      seenEvents: how.seen ?? (updated.events ?? []).map(ecsEventKey),
    },
  );
  options.log(`${name}: ${watched.outcome} - ${watched.reason}`);
  return {
    status: watched.outcome,
    reason: watched.reason,
    deploymentId: ours.id,
    events: watched.events,
    finalState: watched.state.lastProgress ?? describeEcsDeployment(ours),
    seenEvents: watched.state.seenEvents,
    ecsTriedRollback: watched.ecsTriedRollback,
  };
}
