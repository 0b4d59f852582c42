import type { Service } from '@aws-sdk/client-ecs';
import {
  checkController,
  deployService,
  type EcsApi,
  ecsEventKey,
  explainAwsError,
  isBug,
  type RecordedDeployment,
  type Status,
  toError,
  UserError,
  watchEcsDeployment,
} from '@slipway/shared';
import type { EcsInputs, Explicit } from '../inputs';
import { chooseFromEcs } from './choose-task-definition';
import { IN_FLIGHT, type PastDeployment, type ServiceDeploymentsApi } from './service-deployments';

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
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Where the restored task definition comes from: a deployment record, an explicit `to`, or ECS's memory. */
export type EcsSource = { record: RecordedDeployment } | { explicit: Explicit } | { ecs: true };

export interface EcsPlan {
  services: Array<{ service: Service; past: PastDeployment[] | undefined; from: string; to: string }>;
  /** The restored task definition's container images, for the rollback's own deployment record. */
  images: Record<string, string>;
}

/**
 * Decides, for every service, what it is rolled away from and back to, and checks that the services and the
 * task definition exist. Changes nothing, so a wrong name costs no side effect.
 */
export async function planEcsRollback(
  inputs: EcsInputs,
  source: EcsSource,
  deps: Pick<EcsRollbackDeps, 'api' | 'deployments'>,
): Promise<EcsPlan> {
  const { api } = deps;
  const services = await api.describeServices(inputs.cluster, inputs.services);
  services.forEach(checkController);
  const histories = await Promise.all(
    services.map((s) => deps.deployments.history(inputs.cluster, s.serviceName!)),
  );
  const plans = await Promise.all(
    services.map(async (service, i) => {
      const ecs = 'ecs' in source ? chooseFromEcs(service, histories[i]) : undefined;
      const to = ecs?.to ?? (await resolveTarget(api, service, source as Exclude<EcsSource, { ecs: true }>));
      const from = ecs?.from ?? histories[i]?.[0]?.taskDefinition ?? service.taskDefinition ?? '';
      return { service, past: histories[i], from, to };
    }),
  );
  const restored = await api.describeTaskDefinition(plans[0].to);
  const images = Object.fromEntries(
    (restored.containerDefinitions ?? []).map((c) => [c.name ?? '', c.image ?? '']),
  );
  return { services: plans, images };
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

async function resolveTarget(
  api: EcsApi,
  service: Service,
  source: Exclude<EcsSource, { ecs: true }>,
): Promise<string> {
  const name = service.serviceName!;
  if ('record' in source) {
    const map = source.record.payload?.taskDefinitions ?? {};
    const values = [...new Set(Object.values(map))];
    const arn = map[name] ?? (values.length === 1 ? values[0] : undefined);
    if (!arn) {
      throw new UserError(
        `Deployment #${source.record.id} recorded no task definition for ${name} (it has ${Object.keys(map).join(', ') || 'none'}). ` +
          'Name the task definition to restore with "to".',
      );
    }
    return arn;
  }
  if (source.explicit.kind !== 'task-definition') {
    throw new UserError(
      `Input "to": no deployment record runs ${source.explicit.kind === 'digest' ? source.explicit.digest : 'that release'}, ` +
        'and ECS cannot be searched by image digest. Name the task-definition ARN to restore instead.',
    );
  }
  // Resolves family:revision to its ARN and proves it exists before anything changes.
  const def = await api.describeTaskDefinition(source.explicit.ref);
  if (def.status === 'INACTIVE') {
    throw new UserError(
      `Input "to": ${def.taskDefinitionArn} is deregistered (INACTIVE); ECS cannot run it.`,
    );
  }
  return def.taskDefinitionArn!;
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
      deps.log(`${name}: could not stop ${inFlight.arn} (${stop.why}); the rollback deployment replaces it.`);
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
