import { AwsError, invalidParameter, type Operation } from '../protocol';
import { failDeployment } from './deployments';
import { hookDetails } from './lifecycle-hooks';
import { describeEach, findCluster, findService, optionalString, paginate, requiredString } from './lookup';
import type { EcsState, Json, ServiceDeploymentRecord } from './model';
import { breakerThreshold } from './options';
import { taskCounts } from './service-view';
import { trafficWeight } from './traffic';

function revisionSummary(
  state: EcsState,
  sd: ServiceDeploymentRecord,
  revisionArn: string,
  target: boolean,
): Json {
  const { runningCount, pendingCount } = taskCounts(
    state,
    (t) => t.service === sd.service && t.deployment?.serviceRevisionArn === revisionArn,
  );
  return {
    arn: revisionArn,
    requestedTaskCount: target ? sd.deployment.desiredCount : 0,
    runningTaskCount: runningCount,
    pendingTaskCount: pendingCount,
    requestedTestTrafficWeight: trafficWeight(sd.service, 'test', revisionArn),
    requestedProductionTrafficWeight: trafficWeight(sd.service, 'production', revisionArn),
  };
}

function serviceDeploymentView(state: EcsState, sd: ServiceDeploymentRecord, threshold?: number): Json {
  const { service } = sd;
  const breaker = (sd.deploymentConfiguration.deploymentCircuitBreaker ?? {}) as Json;
  const alarms = (sd.deploymentConfiguration.alarms ?? {}) as Json;
  return {
    serviceDeploymentArn: sd.arn,
    serviceArn: service.arn,
    clusterArn: service.cluster.arn,
    createdAt: sd.createdAt,
    startedAt: sd.startedAt,
    ...(sd.finishedAt ? { finishedAt: sd.finishedAt } : {}),
    ...(sd.stoppedAt ? { stoppedAt: sd.stoppedAt } : {}),
    updatedAt: sd.updatedAt,
    sourceServiceRevisions: sd.sourceRevisionArns.map((a) => revisionSummary(state, sd, a, false)),
    targetServiceRevision: revisionSummary(state, sd, sd.targetRevisionArn, true),
    status: sd.status,
    ...(sd.deployment.lifecycleStage ? { lifecycleStage: sd.deployment.lifecycleStage } : {}),
    lifecycleHookDetails: hookDetails(sd.deployment),
    ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
    deploymentConfiguration: sd.deploymentConfiguration,
    ...(sd.rollback ? { rollback: sd.rollback } : {}),
    deploymentCircuitBreaker: {
      status: breaker.enable ? 'MONITORING' : 'DISABLED',
      failureCount: sd.deployment.failedTasks,
      threshold: breakerThreshold(sd.deployment.desiredCount, breaker, threshold),
    },
    alarms: {
      status: alarms.enable ? 'MONITORING' : 'DISABLED',
      alarmNames: alarms.alarmNames ?? [],
      ...(sd.deployment.triggeredAlarms ? { triggeredAlarmNames: sd.deployment.triggeredAlarms } : {}),
    },
  };
}

export function serviceDeploymentOperations(state: EcsState, threshold?: number): Record<string, Operation> {
  return {
    ListServiceDeployments(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const service = findService(state, cluster, requiredString(input, 'service'));
      if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
      const statuses = Array.isArray(input.status) ? (input.status as string[]) : undefined;
      const created = (input.createdAt ?? {}) as { before?: number; after?: number };
      const inRange = (at: number) =>
        (created.before === undefined || at < created.before) &&
        (created.after === undefined || at > created.after);
      const briefs = [...state.serviceDeployments.values()]
        .filter((sd) => sd.service === service && (!statuses || statuses.includes(sd.status)))
        .filter((sd) => inRange(sd.createdAt))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((sd) => ({
          serviceDeploymentArn: sd.arn,
          serviceArn: service.arn,
          clusterArn: cluster.arn,
          startedAt: sd.startedAt,
          createdAt: sd.createdAt,
          ...(sd.finishedAt ? { finishedAt: sd.finishedAt } : {}),
          targetServiceRevisionArn: sd.targetRevisionArn,
          status: sd.status,
          ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
        }));
      const { page, nextToken } = paginate(briefs, input, 20);
      return { serviceDeployments: page, nextToken };
    },

    DescribeServiceDeployments(input) {
      const { found, failures } = describeEach(input, 'serviceDeploymentArns', 20, (ref) => {
        const sd = state.serviceDeployments.get(ref);
        return sd && serviceDeploymentView(state, sd, threshold);
      });
      return { serviceDeployments: found, failures };
    },

    StopServiceDeployment(input) {
      const sdArn = requiredString(input, 'serviceDeploymentArn');
      const sd = state.serviceDeployments.get(sdArn);
      if (!sd)
        throw new AwsError('ServiceDeploymentNotFoundException', `Service deployment not found: ${sdArn}`);
      const stopType = optionalString(input, 'stopType') ?? 'ROLLBACK';
      if (stopType !== 'ROLLBACK') throw invalidParameter(`stopType must be ROLLBACK, not ${stopType}.`);
      const { service } = sd;
      // "ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS - The service deployment continues the rollback operation."
      if (sd.status === 'ROLLBACK_REQUESTED' || sd.status === 'ROLLBACK_IN_PROGRESS')
        return { serviceDeploymentArn: sd.arn };
      if (service.status !== 'ACTIVE' || sd.status !== 'IN_PROGRESS' || sd.deployment.status !== 'PRIMARY') {
        throw new AwsError(
          'ConflictException',
          `The service deployment is ${sd.status}: only one IN_PROGRESS can be stopped.`,
        );
      }
      if (!service.lastCompleted || service.lastCompleted === sd.deployment) {
        throw new AwsError('ConflictException', 'There is no completed service revision to roll back to.');
      }
      const reason = 'Service deployment rolled back because of a StopServiceDeployment request.';
      failDeployment(state, service, sd.deployment, {
        rollback: true,
        reason: `Service deployment ${sd.deployment.id} stopped by request; rolling back.`,
        by: 'stop request',
        rollbackReason: reason,
        event: `deployment ${sd.deployment.id} stopped by request.`,
      });
      return { serviceDeploymentArn: sd.arn };
    },

    DescribeServiceRevisions(input) {
      const { found, failures } = describeEach(input, 'serviceRevisionArns', 20, (ref) => {
        const r = state.revisions.get(ref);
        return (
          r && {
            serviceRevisionArn: r.arn,
            serviceArn: r.serviceArn,
            clusterArn: r.clusterArn,
            taskDefinition: r.taskDefinition,
            ...(r.launchType ? { launchType: r.launchType } : {}),
            ...(r.networkConfiguration ? { networkConfiguration: r.networkConfiguration } : {}),
            containerImages: r.containerImages,
            guardDutyEnabled: false,
            createdAt: r.createdAt,
          }
        );
      });
      return { serviceRevisions: found, failures };
    },
  };
}
