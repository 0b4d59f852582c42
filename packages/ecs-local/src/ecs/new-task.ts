import {
  type ClusterRecord,
  type DeploymentRecord,
  type EcsState,
  hexId,
  type Json,
  nowSeconds,
  type ServiceRecord,
  type TaskDefinitionRecord,
  type TaskRecord,
} from './model';

/** Who a task is for: a service's deployment, or a one-off RunTask (group, startedBy, launch type). */
type TaskOwner = Pick<TaskRecord, 'group' | 'startedBy' | 'launchType' | 'service' | 'deployment'>;

/** A task of `definition` in `cluster` as ECS first reports it: PROVISIONING, its containers PENDING. */
export function provisionTask(
  state: EcsState,
  cluster: ClusterRecord,
  definition: TaskDefinitionRecord,
  owner: TaskOwner,
): TaskRecord {
  const id = hexId();
  const prefix = `arn:aws:ecs:${cluster.region}:${state.accountId}`;
  return {
    arn: `${prefix}:task/${cluster.name}/${id}`,
    id,
    cluster,
    ...owner,
    taskDefinitionArn: definition.body.taskDefinitionArn,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    createdAt: nowSeconds(),
    cpu: definition.body.cpu as string | undefined,
    memory: definition.body.memory as string | undefined,
    version: 1,
    containers: (definition.body.containerDefinitions as Json[]).map((c) => ({
      arn: `${prefix}:container/${cluster.name}/${id}/${hexId(16)}`,
      name: String(c.name),
      image: String(c.image),
      essential: c.essential !== false,
      hasHealthCheck: Boolean(c.healthCheck),
      stopTimeout: c.stopTimeout as number | undefined,
      lastStatus: 'PENDING',
      healthStatus: 'UNKNOWN',
      networkBindings: [],
    })),
  };
}

/** A service task as ECS first reports it: PROVISIONING, started by its deployment, in group `service:<name>`. */
export function newTask(
  state: EcsState,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  definition: TaskDefinitionRecord,
): TaskRecord {
  return provisionTask(state, service.cluster, definition, {
    service,
    deployment,
    group: `service:${service.name}`,
    startedBy: deployment.id,
    launchType: service.echo.launchType as string | undefined,
  });
}
