import { arn, requireTaskDefinition } from './lookup';
import {
  type DeploymentRecord,
  digits,
  type EcsState,
  type Json,
  nowSeconds,
  type ServiceRecord,
  uuid,
} from './model';

// How deployments start, complete, fail and roll back, with the service events and service-deployment states
// ECS reports for each step. The scheduler decides *when*; this module decides *what it looks like*.

const BREAKER_FAILED = 'ECS deployment circuit breaker: tasks failed to start.';
const ROLLBACK_REASON = 'Service deployment rolled back because the circuit breaker threshold was exceeded.';

export function addEvent(service: ServiceRecord, message: string): void {
  service.events.unshift({
    id: uuid(),
    createdAt: nowSeconds(),
    message: `(service ${service.name}) ${message}`,
  });
  if (service.events.length > 100) service.events.length = 100;
}

function newRevision(state: EcsState, service: ServiceRecord, taskDefinition: string): string {
  const revisionArn = arn(
    state,
    service.cluster.region,
    `service-revision/${service.cluster.name}/${service.name}/${digits(19)}`,
  );
  const definition = requireTaskDefinition(state, taskDefinition).body;
  state.revisions.set(revisionArn, {
    arn: revisionArn,
    serviceArn: service.arn,
    clusterArn: service.cluster.arn,
    taskDefinition,
    createdAt: nowSeconds(),
    launchType: service.echo.launchType as string | undefined,
    networkConfiguration: service.echo.networkConfiguration as Json | undefined,
    containerImages: (definition.containerDefinitions as Json[]).map((c) => ({
      containerName: c.name,
      image: c.image,
    })),
  });
  return revisionArn;
}

interface StartOptions {
  /** A rollback: the deployment that failed, and the completed one whose revision is restored. */
  /** `by`: what decided the rollback, as the rollback's rolloutStateReason names it (`circuit breaker`). */
  rollback?: { failed: DeploymentRecord; to: DeploymentRecord; by: string };
}

/** A new PRIMARY deployment; the previous primary becomes ACTIVE (its tasks drain as the new ones get healthy). */
export function startDeployment(
  state: EcsState,
  service: ServiceRecord,
  taskDefinition: string,
  options: StartOptions = {},
): DeploymentRecord {
  const now = nowSeconds();
  const sources = service.deployments.filter((d) => d.status !== 'INACTIVE');
  for (const previous of sources) {
    if (previous.status === 'PRIMARY') {
      previous.status = 'ACTIVE';
      previous.updatedAt = now;
    }
    const sd = previous.serviceDeployment;
    if (!options.rollback) previous.pendingRollback = undefined; // a newer deployment wins over ECS's rollback
    const live = ['IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'];
    if (!options.rollback && live.includes(sd.status)) {
      sd.status = 'STOPPED';
      sd.statusReason = 'Service deployment stopped because a newer service deployment started.';
      sd.stoppedAt = sd.updatedAt = now;
    }
  }
  const id = `ecs-svc/${digits(19)}`;
  const revisionArn = options.rollback?.to.serviceRevisionArn ?? newRevision(state, service, taskDefinition);
  const deployment = {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: service.desiredCount,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: options.rollback
      ? `ECS deployment ${options.rollback.by}: rolling back to deploymentId ${options.rollback.to.id}.`
      : `ECS deployment ${id} in progress.`,
    serviceRevisionArn: revisionArn,
    rollbackOf: options.rollback?.failed,
  } as DeploymentRecord;
  deployment.serviceDeployment = options.rollback?.failed.serviceDeployment ?? {
    arn: arn(
      state,
      service.cluster.region,
      `service-deployment/${service.cluster.name}/${service.name}/${uuid().replace(/-/g, '').slice(0, 21)}`,
    ),
    service,
    status: 'IN_PROGRESS',
    createdAt: now,
    startedAt: now,
    updatedAt: now,
    sourceRevisionArns: [...new Set(sources.map((d) => d.serviceRevisionArn))],
    targetRevisionArn: revisionArn,
    deploymentConfiguration: structuredClone(service.deploymentConfiguration),
    deployment,
  };
  state.serviceDeployments.set(deployment.serviceDeployment.arn, deployment.serviceDeployment);
  service.taskDefinition = taskDefinition;
  service.deployments.unshift(deployment);
  if (deployment.desiredCount === 0) completeDeployment(service, deployment);
  return deployment;
}

export function completeDeployment(service: ServiceRecord, deployment: DeploymentRecord): void {
  const now = nowSeconds();
  deployment.rolloutState = 'COMPLETED';
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
  deployment.updatedAt = now;
  service.lastCompleted = deployment;
  for (const other of service.deployments) {
    if (other !== deployment && other.status !== 'INACTIVE') {
      other.status = 'INACTIVE';
      other.updatedAt = now;
    }
  }
  const sd = deployment.serviceDeployment;
  sd.status = deployment.rollbackOf ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
  sd.finishedAt = sd.updatedAt = now;
  addEvent(service, `(deployment ${deployment.id}) deployment completed.`);
  addEvent(service, 'has reached a steady state.');
}

/**
 * The circuit breaker tripped (or a user stopped the deployment): FAILED, and a rollback where configured.
 * `rollbackAfterMs`: ECS marks the deployment FAILED first and starts its rollback deployment a moment later
 * (the service deployment says ROLLBACK_REQUESTED meanwhile); the scheduler starts it (`startDueRollback`).
 */
export function failDeployment(
  state: EcsState,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  options: {
    rollback: boolean;
    by?: string;
    reason?: string;
    rollbackReason?: string;
    event?: string;
    rollbackAfterMs?: number;
  },
): void {
  const now = nowSeconds();
  const reason = options.reason ?? BREAKER_FAILED;
  deployment.rolloutState = 'FAILED';
  deployment.rolloutStateReason = reason;
  deployment.updatedAt = now;
  addEvent(service, options.event ?? `deployment ${deployment.id} deployment failed: tasks failed to start.`);
  const sd = deployment.serviceDeployment;
  sd.updatedAt = now;
  const target = service.lastCompleted;
  if (deployment.rollbackOf) {
    sd.status = 'ROLLBACK_FAILED';
    sd.statusReason = `The rollback deployment ${deployment.id} failed: ${reason}`;
    sd.finishedAt = now;
  } else if (options.rollback && target && target !== deployment) {
    const rollbackReason = options.rollbackReason ?? ROLLBACK_REASON;
    sd.status = 'ROLLBACK_REQUESTED';
    sd.statusReason = rollbackReason;
    deployment.pendingRollback = {
      to: target,
      by: options.by ?? 'circuit breaker',
      reason: rollbackReason,
      dueAt: Date.now() + (options.rollbackAfterMs ?? 0),
    };
    if (!options.rollbackAfterMs) startDueRollback(state, service, deployment);
  } else {
    sd.status = 'STOPPED';
    sd.statusReason = reason;
    sd.stoppedAt = now;
  }
}

/** Starts ECS's rollback of a failed deployment once it is due. */
export function startDueRollback(state: EcsState, service: ServiceRecord, failed: DeploymentRecord): void {
  const pending = failed.pendingRollback;
  if (!pending || Date.now() < pending.dueAt) return;
  failed.pendingRollback = undefined;
  const sd = failed.serviceDeployment;
  sd.status = 'ROLLBACK_IN_PROGRESS';
  sd.updatedAt = nowSeconds();
  sd.rollback = {
    reason: pending.reason,
    startedAt: sd.updatedAt,
    serviceRevisionArn: pending.to.serviceRevisionArn,
  };
  addEvent(service, `rolling back to deployment ${pending.to.id}.`);
  startDeployment(state, service, pending.to.taskDefinition, {
    rollback: { failed, to: pending.to, by: pending.by },
  });
}
