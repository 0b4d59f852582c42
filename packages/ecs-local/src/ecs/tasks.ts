import { AwsError, invalidParameter, type Operation } from '../protocol';
import {
  describeEach,
  findCluster,
  findService,
  nameOf,
  optionalString,
  paginate,
  requiredString,
} from './lookup';
import type { EcsState, Json, TaskRecord } from './model';
import type { TaskRunner } from './task-runner';

export function taskView(task: TaskRecord, include: unknown = []): Json {
  const defined = (o: Json) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return defined({
    attachments: [],
    attributes: [],
    availabilityZone: `${task.cluster.region}a`,
    clusterArn: task.cluster.arn,
    connectivity: task.lastStatus === 'RUNNING' ? 'CONNECTED' : undefined,
    containers: task.containers.map((c) =>
      defined({
        containerArn: c.arn,
        taskArn: task.arn,
        name: c.name,
        image: c.image,
        imageDigest: c.imageDigest,
        runtimeId: c.runtimeId,
        lastStatus: c.lastStatus,
        exitCode: c.exitCode,
        reason: c.reason,
        networkBindings: c.networkBindings,
        networkInterfaces: [],
        healthStatus: c.healthStatus,
        cpu: '0',
      }),
    ),
    cpu: task.cpu,
    createdAt: task.createdAt,
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: false,
    group: task.group,
    healthStatus: task.healthStatus,
    lastStatus: task.lastStatus,
    launchType: task.launchType ?? 'EC2',
    memory: task.memory,
    overrides: {
      containerOverrides: task.containers.map((c) => ({ name: c.name })),
      inferenceAcceleratorOverrides: [],
    },
    pullStartedAt: task.pullStartedAt,
    pullStoppedAt: task.pullStoppedAt,
    startedAt: task.startedAt,
    startedBy: task.startedBy,
    stopCode: task.stopCode,
    stoppedAt: task.stoppedAt,
    executionStoppedAt: task.stoppedAt,
    stoppedReason: task.stoppedReason,
    stoppingAt: task.stoppingAt,
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
    version: task.version,
    ...(Array.isArray(include) && include.includes('TAGS') ? { tags: [] } : {}),
  });
}

export function taskOperations(state: EcsState, runner: TaskRunner): Record<string, Operation> {
  const findTask = (clusterName: string, ref: string) =>
    state.tasks.find((t) => t.cluster.name === clusterName && (t.arn === ref || t.id === nameOf(ref)));
  return {
    ListTasks(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const serviceName = optionalString(input, 'serviceName');
      const service = serviceName ? findService(state, cluster, serviceName) : undefined;
      if (serviceName && !service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
      const desired = optionalString(input, 'desiredStatus') ?? 'RUNNING';
      if (!['RUNNING', 'STOPPED', 'PENDING'].includes(desired))
        throw invalidParameter(`desiredStatus ${desired} is not valid.`);
      const family = optionalString(input, 'family');
      const startedBy = optionalString(input, 'startedBy');
      const arns = state.tasks
        .filter((t) => t.cluster === cluster && (!service || t.service === service))
        .filter((t) =>
          desired === 'STOPPED' ? t.desiredStatus === 'STOPPED' : t.desiredStatus === 'RUNNING',
        )
        .filter((t) => desired !== 'PENDING' || t.lastStatus !== 'RUNNING')
        .filter((t) => !family || t.taskDefinitionArn.includes(`task-definition/${family}:`))
        .filter((t) => !startedBy || t.startedBy === startedBy)
        .map((t) => t.arn);
      const { page, nextToken } = paginate(arns, input);
      return { taskArns: page, nextToken };
    },

    DescribeTasks(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const { found, failures } = describeEach(input, 'tasks', 100, (ref) => {
        const task = findTask(cluster.name, ref);
        return task && taskView(task, input.include);
      });
      return { tasks: found, failures };
    },

    StopTask(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const task = findTask(cluster.name, requiredString(input, 'task'));
      if (!task) throw invalidParameter('The referenced task was not found.');
      runner.stop(task, 'UserInitiated', optionalString(input, 'reason') ?? 'Task stopped by user');
      return { task: taskView(task) };
    },
  };
}
