import type { DeploymentRecord, EcsState, Json, ServiceRecord, TaskRecord } from './model';

/** Running and pending task counts, as DescribeServices and the service deployments API report them. */
export function taskCounts(state: EcsState, belongs: (task: TaskRecord) => boolean) {
  const tasks = state.tasks.filter((t) => t.desiredStatus === 'RUNNING' && belongs(t));
  const running = tasks.filter((t) => t.lastStatus === 'RUNNING').length;
  return { runningCount: running, pendingCount: tasks.length - running };
}

export function deploymentView(state: EcsState, service: ServiceRecord, d: DeploymentRecord): Json {
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    desiredCount: d.desiredCount,
    ...taskCounts(state, (t) => t.deployment === d),
    failedTasks: d.failedTasks,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...(service.echo.launchType ? { launchType: service.echo.launchType } : {}),
    ...(service.echo.platformVersion ? { platformVersion: service.echo.platformVersion } : {}),
    ...(service.echo.networkConfiguration ? { networkConfiguration: service.echo.networkConfiguration } : {}),
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  };
}

/** A service as DescribeServices returns it (deployments newest first, events newest first). */
export function serviceView(state: EcsState, service: ServiceRecord, include: unknown = []): Json {
  const current = service.deployments.find((d) => d.status === 'PRIMARY');
  const revisions = [...new Set(service.deployments.filter((d) => d.status !== 'INACTIVE'))];
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.cluster.arn,
    loadBalancers: [],
    serviceRegistries: [],
    ...service.echo,
    status: service.status,
    desiredCount: service.desiredCount,
    ...taskCounts(state, (t) => t.service === service),
    taskDefinition: service.taskDefinition,
    deploymentConfiguration: service.deploymentConfiguration,
    deployments: service.deployments.map((d) => deploymentView(state, service, d)),
    events: service.events,
    createdAt: service.createdAt,
    ...(current ? { currentServiceDeployment: current.serviceDeployment.arn } : {}),
    currentServiceRevisions: revisions.map((d) => ({
      arn: d.serviceRevisionArn,
      requestedTaskCount: d.status === 'PRIMARY' ? d.desiredCount : 0,
      ...(({ runningCount, pendingCount }) => ({
        runningTaskCount: runningCount,
        pendingTaskCount: pendingCount,
      }))(taskCounts(state, (t) => t.deployment === d)),
    })),
    placementConstraints: [],
    placementStrategy: [],
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    createdBy: `arn:aws:iam::${state.accountId}:root`,
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'DISABLED',
    ...(Array.isArray(include) && include.includes('TAGS') ? { tags: service.tags } : {}),
  };
}
