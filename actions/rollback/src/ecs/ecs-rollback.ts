import {
  answerPause,
  deployService,
  type EcsApi,
  ecsEventKey,
  explainAwsError,
  isBug,
  type Status,
  toError,
  watchEcsDeployment,
} from '@slipway/shared';
import type { EcsInputs } from '../inputs';
import { parenthetical } from '../report/parenthetical';
import type { EcsPlan } from './ecs-plan';
import { IN_FLIGHT, type ServiceDeploymentsApi } from './service-deployments';

export interface EcsServiceResult {
  service: string;
  from: string;
  to: string;
  status: Status;
  reason: string;
  /** The in-flight deployment stopped with StopServiceDeployment (ROLLBACK), and what came of ECS's rollback. */
  stopped?: { arn: string; outcome: string };
}

export interface EcsRollbackResult {
  services: EcsServiceResult[];
  /** Every service is on the restored task definition. */
  ok: boolean;
}

export interface EcsRollbackDeps {
  api: EcsApi;
  deployments: ServiceDeploymentsApi;
  log: (line: string) => void;
  warning: (message: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Puts every service back on its restored task definition, one attempt: an in-flight deployment is stopped
 * first (ECS's own ROLLBACK, followed to its end), then deploy-ecs's machinery moves the service and follows
 * that deployment to its outcome. It never rolls back its own rollback.
 */
export async function runEcsRollback(
  inputs: EcsInputs,
  plan: EcsPlan,
  deps: EcsRollbackDeps,
): Promise<EcsRollbackResult> {
  // One service's failure (ECS refusing the update, say) does not stop the others: each ends with a status.
  const results = await Promise.all(
    plan.services.map((p) =>
      rollbackService(inputs, p, deps).catch((thrown): EcsServiceResult => {
        const error = toError(explainAwsError(thrown, 'ecs:UpdateService'));
        if (isBug(error)) throw error;
        deps.log(`${p.service.serviceName}: the rollback failed: ${error.message}`);
        return {
          service: p.service.serviceName!,
          from: p.from,
          to: p.to,
          status: 'failed',
          reason: error.message,
        };
      }),
    ),
  );
  return {
    services: results,
    ok: results.every((r) => r.status === 'succeeded' || r.status === 'unchanged'),
  };
}

async function rollbackService(
  inputs: EcsInputs,
  plan: EcsPlan['services'][number],
  deps: EcsRollbackDeps,
): Promise<EcsServiceResult> {
  const name = plan.service.serviceName!;
  const now = deps.now ?? Date.now;
  const result: Omit<EcsServiceResult, 'status' | 'reason'> = { service: name, from: plan.from, to: plan.to };
  const inFlight = plan.past?.find((d) => IN_FLIGHT.has(d.status) && d.taskDefinition !== plan.to);
  if (inFlight) {
    const stop = await deps.deployments.stopWithRollback(inFlight.arn);
    if (stop.stopped) {
      deps.log(
        `${name}: stopped the in-flight deployment ${inFlight.arn} (StopServiceDeployment, ROLLBACK).`,
      );
      result.stopped = { arn: inFlight.arn, outcome: await followEcsRollback(inputs, name, deps, now) };
    } else {
      deps.log(
        `${name}: could not stop ${inFlight.arn} ${parenthetical(stop.why)}; the rollback deployment replaces it.`,
      );
    }
  }
  const [current] = await deps.api.describeServices(inputs.cluster, [name]);
  const deployed = await deployService(deps.api, current, {
    cluster: inputs.cluster,
    taskDefinitionArn: plan.to,
    desiredCount: undefined,
    forceNewDeployment: false,
    wait: true,
    waitTimeoutMs: inputs.waitTimeoutMs,
    pollIntervalMs: inputs.pollIntervalMs,
    rollbackOnFailure: false,
    // The rollback is itself the decision: each pause of its own deployment (a PAUSE lifecycle hook) is
    // continued, and the health checks and analysis that follow prove the restored release. The watch shows it
    // no other deployment's pause, and with rollbackOnFailure off it makes no deployment but this one.
    onPause: async (service, pause, ours) => {
      if (!ours) return;
      const reason = `the rollback's own deployment paused at ${pause.stage}`;
      await answerPause(deps.api, service, pause, { action: 'CONTINUE', reason }, deps);
    },
    log: deps.log,
    now: deps.now,
    sleep: deps.sleep,
  });
  return { ...result, status: deployed.status, reason: deployed.reason };
}

/** Follows the rollback deployment ECS started for a stopped one (the service's new PRIMARY) to its end. */
async function followEcsRollback(
  inputs: EcsInputs,
  name: string,
  deps: EcsRollbackDeps,
  now: () => number,
): Promise<string> {
  const startedAt = now();
  const [service] = await deps.api.describeServices(inputs.cluster, [name]);
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary?.id) return 'ECS showed no rollback deployment';
  const watched = await watchEcsDeployment(
    deps.api,
    {
      deploymentId: primary.id,
      taskDefinitionArn: primary.taskDefinition ?? '',
      startedAt,
      deadline: startedAt + inputs.waitTimeoutMs,
    },
    {
      cluster: inputs.cluster,
      service: name,
      pollIntervalMs: inputs.pollIntervalMs,
      onEvent: (e) => deps.log(`${name}: ${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`),
      now,
      sleep: deps.sleep,
      seenEvents: (service.events ?? []).map(ecsEventKey),
    },
  );
  deps.log(`${name}: ECS's rollback to ${primary.taskDefinition}: ${watched.outcome} - ${watched.reason}`);
  return `${watched.outcome}: ${watched.reason}`;
}
