import {
  type DeploymentRecord,
  type EcsState,
  hexId,
  type Json,
  nowSeconds,
  type ServiceRecord,
  type TaskDefinitionRecord,
  type TaskRecord,
} from './model';

/** A service task as ECS first reports it: PROVISIONING, started by its deployment, in group `service:<name>`. */
export function newTask(
  state: EcsState,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  definition: TaskDefinitionRecord,
): TaskRecord {
  const id = hexId();
  const { cluster } = service;
  const prefix = `arn:aws:ecs:${cluster.region}:${state.accountId}`;
  return {
    arn: `${prefix}:task/${cluster.name}/${id}`,
    id,
    cluster,
    service,
    deployment,
    taskDefinitionArn: definition.body.taskDefinitionArn,
    group: `service:${service.name}`,
    startedBy: deployment.id,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    createdAt: nowSeconds(),
    cpu: definition.body.cpu as string | undefined,
    memory: definition.body.memory as string | undefined,
    launchType: service.echo.launchType as string | undefined,
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
