import * as core from '@actions/core';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { checkController, type EcsApi, type RecordedDeployment, UserError } from '@slipway/shared';
import type { EcsInputs, Explicit } from '../inputs';
import { chooseFromEcs, findInEcsHistory, nothingInEcs } from './choose-task-definition';
import type { PastDeployment, ServiceDeploymentsApi } from './service-deployments';

/** Where the restored task definition comes from: a deployment record, an explicit `to`, or ECS's memory. */
export type EcsSource = { record: RecordedDeployment } | { explicit: Explicit } | { ecs: true };

export interface EcsPlan {
  services: Array<{ service: Service; past: PastDeployment[] | undefined; from: string; to: string }>;
  /** The restored task definitions' container images, for the rollback's own deployment record. */
  images: Record<string, string>;
}

export interface EcsPlanDeps {
  api: EcsApi;
  deployments: ServiceDeploymentsApi;
  /** Says that a service's task definition comes from ECS's history rather than the chosen record. */
  notice?: (message: string) => void;
}

/**
 * Decides, for every service, what it is rolled away from and back to, and checks that the services exist and
 * that every task definition to restore is still ACTIVE. Changes nothing, so a wrong name or a deregistered
 * revision costs no side effect: no service is moved while another one cannot be.
 */
export async function planEcsRollback(
  inputs: EcsInputs,
  source: EcsSource,
  deps: EcsPlanDeps,
): Promise<EcsPlan> {
  const { api } = deps;
  const services = await api.describeServices(inputs.cluster, inputs.services);
  services.forEach(checkController);
  const histories = await Promise.all(
    services.map((s) => deps.deployments.history(inputs.cluster, s.serviceName!)),
  );
  const explicit = 'explicit' in source ? await resolveExplicit(api, source.explicit) : undefined;
  const plans = services.map((service, i) => {
    const past = histories[i];
    const newest = past?.[0]?.taskDefinition ?? service.taskDefinition ?? '';
    if (explicit) return { service, past, from: newest, to: explicit };
    if ('record' in source) {
      const recorded = source.record.payload?.taskDefinitions?.[service.serviceName!];
      if (recorded) return { service, past, from: newest, to: recorded };
      return { service, past, ...uncovered(service, past, source.record, deps.notice ?? core.notice) };
    }
    return { service, past, ...chooseFromEcs(service, past) };
  });
  const definitions = await describeRestored(api, plans);
  return { services: plans, images: imagesOf(plans, definitions) };
}

/**
 * A service the chosen record does not cover (a deploy of some services only) goes back to its own last
 * successful task definition in ECS's history, never to another service's: the record says nothing about it.
 * With nothing there either, the whole rollback is refused.
 */
function uncovered(
  service: Service,
  past: PastDeployment[] | undefined,
  record: RecordedDeployment,
  notice: (message: string) => void,
) {
  const name = service.serviceName!;
  const covers = Object.keys(record.payload?.taskDefinitions ?? {}).join(', ') || 'no service';
  const choice = findInEcsHistory(service, past);
  if (!choice) {
    throw new UserError(
      `Deployment #${record.id}, the release to restore, recorded no task definition for ${name} (it covers ` +
        `${covers}), and ${nothingInEcs(service)}. Nothing was changed. Leave ${name} out of "services", or ` +
        'name the task definition to restore with "to".',
    );
  }
  notice(
    `Deployment #${record.id}, the release to restore, recorded no task definition for ${name} (it covers ` +
      `${covers}): ${name} goes back to its own last successful task definition in ECS's history, ${choice.to}.`,
  );
  return choice;
}

/** Resolves family:revision to its ARN and proves it exists, for `to`. */
async function resolveExplicit(api: EcsApi, explicit: Explicit): Promise<string> {
  if (explicit.kind !== 'task-definition') {
    throw new UserError(
      `Input "to": no deployment record runs ${explicit.kind === 'digest' ? explicit.digest : 'that release'}, ` +
        'and ECS cannot be searched by image digest. Name the task-definition ARN to restore instead.',
    );
  }
  const def = await api.describeTaskDefinition(explicit.ref);
  return def.taskDefinitionArn!;
}

/**
 * Every task definition to restore, described once; a deregistered (INACTIVE) one refuses the whole rollback
 * up front, naming the services that would need it.
 */
async function describeRestored(
  api: EcsApi,
  plans: EcsPlan['services'],
): Promise<Map<string, TaskDefinition>> {
  const arns = [...new Set(plans.map((p) => p.to))];
  const defs = await Promise.all(arns.map((arn) => api.describeTaskDefinition(arn)));
  const inactive = defs
    .map((def, i) => ({ def, arn: arns[i] }))
    .filter(({ def }) => def.status === 'INACTIVE')
    .map(({ def, arn }) => {
      const users = plans.filter((p) => p.to === arn).map((p) => p.service.serviceName);
      return `${users.join(', ')}: ${def.taskDefinitionArn ?? arn}`;
    });
  if (inactive.length) {
    throw new UserError(
      `Cannot roll back: the task definition to restore is deregistered (INACTIVE), and ECS cannot run it - ` +
        `${inactive.join('; ')}. Nothing was changed. Register that revision again and name it with "to", or ` +
        'choose another release.',
    );
  }
  return new Map(defs.map((def, i) => [arns[i], def]));
}

/** Container name -> image over every restored task definition; a name two of them use differently is qualified. */
function imagesOf(plans: EcsPlan['services'], defs: Map<string, TaskDefinition>): Record<string, string> {
  const images: Record<string, string> = {};
  for (const plan of plans) {
    for (const c of defs.get(plan.to)?.containerDefinitions ?? []) {
      const name = c.name ?? '';
      const key =
        images[name] === undefined || images[name] === c.image ? name : `${plan.service.serviceName}/${name}`;
      images[key] = c.image ?? '';
    }
  }
  return images;
}
